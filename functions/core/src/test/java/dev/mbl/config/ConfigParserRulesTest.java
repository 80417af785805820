package dev.mbl.config;

import static dev.mbl.config.ConfigParserTest.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mbl.sql.Identifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Config-time rules from the Redshift documents: copy.columns, REGION, per-format options, pre/post SQL. */
class ConfigParserRulesTest {
  private static final ConfigRef SOURCE = ConfigRef.s3("configs", "queues/orders.json");
  private final ConfigParser parser = ConfigParser.forRegion("eu-west-1");

  @Test
  void parse_columnsArray_keptInFileOrderExactlyAsWritten() {
    TableConfig config = parse(withCopy("\"columns\":[\"id\",\"Größe\",\"order date\"]"));

    assertThat(config.columns()).containsExactly(Identifier.exact("id"), Identifier.exact("Größe"),
        Identifier.exact("order date"));
  }

  @Test
  void parse_columnsCommaSeparated_splitAndTrimmed() {
    assertThat(parse(withCopy("\"columns\":\"id, note\"")).columns())
        .containsExactly(Identifier.exact("id"), Identifier.exact("note"));
  }

  @Test
  void parse_noColumns_emptyMeaningEveryNonIdentityColumn() {
    assertThat(parse(minimal("")).columns()).isEmpty();
  }

  @Test
  void parse_columnsEmptyOrRepeated_reportedAtTheirPaths() {
    assertThat(problems(withCopy("\"columns\":[]")))
        .containsExactly("$.copy.columns: the list is empty; fix: name the columns the files carry, or leave columns "
            + "out to load every column that is not an identity column");
    assertThat(problems(withCopy("\"columns\":[\"id\",\"ID\"]")))
        .containsExactly("$.copy.columns[1]: column \"ID\" is given twice; fix: list each column once");
  }

  @Test
  void parse_mergeKeyOrTimestampNotInColumns_rejected() {
    assertThat(problems(withCopyAndOptions("\"columns\":[\"id\",\"note\"]",
        "\"mode\":\"merge\",\"merge_pk\":\"ID\",\"merge_timestamp\":\"updated_at\"")))
        .containsExactly("$.options.merge_timestamp: merge timestamp \"updated_at\" is not in copy.columns, so the "
            + "files do not carry it; fix: add it to copy.columns");
  }

  // "COPY from columnar data formats": MAXERROR is not among the parameters it lists.
  @Test
  void parse_parquetWithMaxerror_rejectedAtConfigTimeNamingTheDocument() {
    assertThat(problems(withCopy("\"options\":\"FORMAT AS PARQUET MAXERROR 10\"")))
        .singleElement().asString()
        .startsWith("$.copy.options: COPY option MAXERROR cannot be used with FORMAT AS PARQUET: \"COPY from "
            + "columnar data formats\" (Amazon Redshift Database Developer Guide)");
  }

  // "VACUUM": VACUUM can't run inside a transaction block, and a batch is one transaction.
  @Test
  void parse_postSqlVacuum_rejectedAtConfigTimeNamingTheDocument() {
    assertThat(problems(minimal(",\"options\":{\"post_sql\":[\"SELECT 1\",\"VACUUM public.orders\"]}")))
        .containsExactly("$.options.post_sql[1]: the statement VACUUM cannot run inside a transaction block "
            + "(\"VACUUM\", Amazon Redshift Database Developer Guide); fix: remove it and run VACUUM on a schedule "
            + "outside mbl (Redshift also vacuums automatically)");
  }

  @Test
  void parse_preSqlTruncate_rejected() {
    assertThat(problems(minimal(",\"options\":{\"pre_sql\":[\"TRUNCATE public.orders\"]}")))
        .singleElement().asString().startsWith("$.options.pre_sql[0]: the statement TRUNCATE commits the open "
            + "transaction");
  }

  // "COPY from Amazon S3": every resource of the COPY, the manifest included, must be in REGION.
  @Test
  void parse_regionOtherThanMbls_rejectedNamingTheFix() {
    assertThat(problems(withCopy("\"options\":\"CSV REGION 'us-east-1'\"")))
        .containsExactly("$.copy.options: REGION 'us-east-1' is not the region mbl runs in (eu-west-1): COPY reads "
            + "every resource it names, the manifest included, from that region (\"COPY from Amazon S3\", Amazon "
            + "Redshift Database Developer Guide), and mbl writes each batch's manifest in eu-west-1; fix: remove "
            + "REGION, or write REGION 'eu-west-1', and keep the data files in eu-west-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CSV REGION 'eu-west-1'", "CSV REGION 'EU-WEST-1'"})
  void parse_regionEqualToMbls_accepted(String options) {
    assertThat(parse(withCopy("\"options\":\"" + options + "\"")).copyOptions().region()).contains("eu-west-1");
  }

  @Test
  void create_regionUnknown_checksRegionForFormOnly() {
    TableConfig config = ConfigParser.create().parse(bytes(withCopy("\"options\":\"CSV REGION 'us-east-1'\"")), SOURCE);

    assertThat(config.copyOptions().region()).contains("us-east-1");
  }

  @Test
  void forRegion_blank_rejected() {
    assertThatThrownBy(() -> ConfigParser.forRegion(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AWS_REGION");
  }

  @Test
  void parse_sources_acceptOnlyFilesUnderThem() {
    TableConfig config = parse(minimal(",\"options\":{\"sources\":[\"s3://landing/orders/\",\"s3://archive.example/\"]}"));

    assertThat(config.sources()).extracting(SourcePrefix::toString)
        .containsExactly("s3://landing/orders/", "s3://archive.example/");
    assertThat(config.acceptsSource("landing", "orders/2026/a.csv")).isTrue();
    assertThat(config.acceptsSource("archive.example", "any/key.csv")).isTrue();
    assertThat(config.acceptsSource("landing", "clicks/a.csv")).as("another prefix").isFalse();
    assertThat(config.acceptsSource("other-bucket", "orders/a.csv")).as("another bucket").isFalse();
  }

  @Test
  void parse_noSources_acceptsAnyFile() {
    TableConfig config = parse(minimal(""));

    assertThat(config.sources()).isEmpty();
    assertThat(config.acceptsSource("any-bucket", "any/key")).isTrue();
  }

  // "General purpose bucket naming rules": 3-63 characters, lower-case letters, digits, dots, hyphens.
  @Test
  void parse_badSources_reportedAtTheirPathsWithTheFix() {
    assertThat(problems(minimal(",\"options\":{\"sources\":[]}"))).containsExactly("$.options.sources: is empty, "
        + "so no file could ever load; fix: list where the files land, e.g. [\"s3://my-landing/orders/\"], or leave "
        + "sources out");
    assertThat(problems(minimal(",\"options\":{\"sources\":[\"landing/orders/\",\"s3://Bad_Bucket/x/\","
        + "\"s3://landing/orders/*\"]}")))
        .containsExactly(
            "$.options.sources[0]: 'landing/orders/' is no s3:// URL; write s3://bucket/prefix/; fix: write "
                + "s3://<bucket>/<key prefix>, e.g. s3://my-landing/orders/",
            "$.options.sources[1]: 'Bad_Bucket' is no S3 bucket name (3 to 63 characters: a-z, 0-9, '.', '-'; "
                + "starting and ending with a letter or digit); fix: write s3://<bucket>/<key prefix>, e.g. "
                + "s3://my-landing/orders/",
            "$.options.sources[2]: key prefix 'orders/*' holds a wildcard or placeholder: give the literal prefix "
                + "the files' keys start with; fix: write s3://<bucket>/<key prefix>, e.g. s3://my-landing/orders/");
  }

  private static String withCopy(String field) {
    return "{\"copy\":{\"table_name\":\"orders\",\"role_arn\":\"default\"," + field + "},"
        + "\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"}}";
  }

  private static String withCopyAndOptions(String field, String options) {
    return withCopy(field).replaceFirst("}$", ",\"options\":{" + options + "}}");
  }

  private TableConfig parse(String json) {
    return parser.parse(bytes(json), SOURCE);
  }

  private List<String> problems(String json) {
    return catchThrowableOfType(InvalidConfigException.class, () -> parse(json)).problems();
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
