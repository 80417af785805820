package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.local.redshift.CopyCommand.Compression;
import dev.mbl.local.redshift.CopyCommand.Flag;
import dev.mbl.local.redshift.CopyCommand.Format;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CopyParserTest {
  private static CopyCommand parse(String sql) {
    return ((SqlTranslator.Copy) SqlTranslator.translate(sql)).command();
  }

  @Test
  void parse_mblCopy_readsEveryOption() {
    CopyCommand copy = parse("COPY \"mbl_stage_01jd\" FROM 's3://mbl-manifests/orders/01JD.manifest' IAM_ROLE "
        + "'arn:aws:iam::123456789012:role/mbl-copy' MANIFEST FORMAT AS CSV QUOTE AS '''' IGNOREHEADER 1 GZIP "
        + "TIMEFORMAT 'auto' DATEFORMAT AS 'YYYY-MM-DD' NULL AS 'NA' BLANKSASNULL EMPTYASNULL ACCEPTINVCHARS AS '^' "
        + "TRUNCATECOLUMNS MAXERROR 5 REGION 'eu-west-1' FILLRECORD IGNOREBLANKLINES TRIMBLANKS "
        + "COMPUPDATE OFF STATUPDATE OFF");

    assertThat(copy).isEqualTo(new CopyCommand("\"mbl_stage_01jd\"", List.of(),
        "s3://mbl-manifests/orders/01JD.manifest", true, Format.CSV, ',', '\'', false, 1, Compression.GZIP, "auto",
        "YYYY-MM-DD", "NA", '^', 5, java.util.Set.of(Flag.BLANKSASNULL, Flag.EMPTYASNULL, Flag.TRUNCATECOLUMNS,
            Flag.FILLRECORD, Flag.IGNOREBLANKLINES, Flag.TRIMBLANKS), "eu-west-1"));
  }

  @Test
  void parse_defaults_areRedshiftsForTextAndDelimitedNamesFold() {
    CopyCommand copy = parse("copy public.orders (id, \"Note\") from 's3://b/prefix/' iam_role default");

    assertThat(copy.table()).isEqualTo("public.orders");
    assertThat(copy.columns()).containsExactly("id", "note"); // "Names and identifiers": delimited names fold too
    assertThat(copy.manifest()).isFalse();
    assertThat(copy.format()).isEqualTo(Format.TEXT);
    assertThat(copy.delimiter()).isEqualTo('|');
    assertThat(copy.nullAs()).isEqualTo("\\N");
    assertThat(copy.maxError()).isZero();
    assertThat(copy.replacement()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "JSON 'auto'|JSON|false",
      "FORMAT AS JSON 'auto ignorecase'|JSON|true",
      "FORMAT PARQUET|PARQUET|false",
      "CSV DELIMITER ';'|CSV|false"})
  void parse_formats(String options, Format format, boolean ignoreCase) {
    CopyCommand copy = parse("COPY t FROM 's3://b/k' IAM_ROLE default " + options);

    assertThat(copy.format()).isEqualTo(format);
    assertThat(copy.ignoreCase()).isEqualTo(ignoreCase);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "FORMAT AS ORC|COPY: the format ORC is not emulated by the local Data API: use CSV, JSON 'auto' or PARQUET",
      "AVRO 'auto'|COPY: the format AVRO is not emulated by the local Data API",
      "JSON 's3://b/paths.json'|COPY: JSON 's3://b/paths.json' is not emulated by the local Data API: use JSON "
          + "'auto' or JSON 'auto ignorecase' (JSONPaths files and noshred are not supported)",
      "LZOP|COPY: the COPY option LZOP is not emulated by the local Data API",
      "JSON 'auto' DELIMITER ','|COPY: DELIMITER does not apply to JSON files",
      "CSV ESCAPE|COPY: CSV cannot be combined with ESCAPE or REMOVEQUOTES",
      "GZIP BZIP2|COPY: two compressions are given: GZIP and BZIP2",
      "DELIMITER 'ab'|COPY: DELIMITER takes one character, not 'ab'",
      "MAXERROR x|COPY: MAXERROR needs a whole number, not 'x'",
      "ENCODING UTF16|COPY: ENCODING UTF16 is not emulated by the local Data API: only UTF8 is"})
  void parse_unsupportedOption_throwsNamingIt(String options, String message) {
    assertThatThrownBy(() -> parse("COPY t FROM 's3://b/k' IAM_ROLE default " + options))
        .isInstanceOf(UnsupportedSqlException.class)
        .hasMessage(message);
  }

  /**
   * "COPY from columnar data formats": only ACCEPTINVCHARS, FILLRECORD, FROM, IAM_ROLE, CREDENTIALS,
   * STATUPDATE, MANIFEST, the access keys and EXPLICIT_IDS; COMPUPDATE is not listed. REGION's text
   * is Redshift's ("REGION argument is not supported for PARQUET based COPY"); the others follow it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"MAXERROR 1", "ACCEPTANYDATE", "REGION 'us-east-1'", "TRUNCATECOLUMNS", "TIMEFORMAT 'auto'",
      "DATEFORMAT 'auto'", "NULL AS 'x'", "BLANKSASNULL", "EMPTYASNULL", "COMPUPDATE OFF", "GZIP", "IGNOREHEADER 1"})
  void parse_parquetWithUnlistedParameter_failsWithRedshiftsText(String option) {
    String name = option.split(" ")[0];

    assertThatThrownBy(() -> parse("COPY t FROM 's3://b/m' IAM_ROLE default MANIFEST FORMAT AS PARQUET " + option))
        .isInstanceOf(CopyFailedException.class)
        .hasMessage(name + " argument is not supported for PARQUET based COPY");
  }

  @Test
  void parse_parquetWithListedParameters_parses() {
    CopyCommand copy = parse("COPY t (a, b) FROM 's3://b/m' IAM_ROLE 'arn:aws:iam::1:role/r' MANIFEST FORMAT AS PARQUET "
        + "ACCEPTINVCHARS FILLRECORD EXPLICIT_IDS STATUPDATE OFF");

    assertThat(copy.format()).isEqualTo(Format.PARQUET);
    assertThat(copy.columns()).containsExactly("a", "b");
    assertThat(copy.flags()).containsExactlyInAnyOrder(Flag.FILLRECORD, Flag.EXPLICIT_IDS);
  }

  @Test
  void parse_nonS3Source_throws() {
    assertThatThrownBy(() -> parse("COPY t FROM 'dynamodb://table' IAM_ROLE default READRATIO 50"))
        .hasMessage("COPY: COPY from 'dynamodb://...' is not emulated by the local Data API: only s3:// sources are");
  }
}
