package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mbl.sql.BatchSqlBuilder;
import dev.mbl.sql.Identifier;
import dev.mbl.sql.TableName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {
  private static final ConfigRef SOURCE = ConfigRef.s3("configs", "queues/orders.json");
  private static final String ROLE = "arn:aws:iam::123456789012:role/redshift-copy";

  private final ConfigParser parser = ConfigParser.create();

  @Test
  void parse_seedFormat_mapsEveryField() {
    TableConfig config = parser.parse(resource("seed-orders.json"), SOURCE);

    assertThat(config.source()).isEqualTo(SOURCE);
    assertThat(config.target()).isEqualTo(WarehouseTarget.cluster("analytics", "dev"));
    assertThat(config.table()).isEqualTo(TableName.of("public", "orders"));
    assertThat(config.iamRole()).isEqualTo(ROLE);
    assertThat(config.copyOptions().clauses()).containsExactly("FORMAT AS CSV", "IGNOREHEADER 1");
    assertThat(config.mode()).isEqualTo(LoadMode.MERGE);
    assertThat(config.mergeKeys()).containsExactly(Identifier.of("order_id"));
    assertThat(config.timestampColumn()).contains(Identifier.of("updated_at"));
    assertThat(config.limits()).isEqualTo(BatchLimits.DEFAULT);
    assertThat(config.preSql()).isEmpty();
    assertThat(config.postSql()).isEmpty();
    assertThat(config.statementPrefix()).isEqualTo("mbl");
    assertThat(config.historyTable()).isEqualTo(TableName.of("public", "orders_mbl_history"));
    assertThat(config.maxAttempts()).isEqualTo(10);
  }

  @Test
  void parse_mergeDuplicatePksFalse_appendsAndIgnoresMergeFields() {
    TableConfig config = parse("{\"copy\":{\"table_name\":\"clicks\",\"role_arn\":\"" + ROLE + "\"},"
        + "\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"},"
        + "\"options\":{\"merge_duplicate_pks\":false,\"merge_pk\":\"id\",\"merge_timestamp\":\"ts\"}}");

    assertThat(config.mode()).isEqualTo(LoadMode.APPEND);
    assertThat(config.mergeKeys()).isEmpty();
    assertThat(config.timestampColumn()).isEmpty();
    assertThat(config.table()).isEqualTo(TableName.of("public", "clicks"));
    assertThat(config.copyOptions()).isEqualTo(CopyOptions.NONE);
  }

  @Test
  void parse_noOptionsSection_appends() {
    TableConfig config = parse(minimal(""));

    assertThat(config.mode()).isEqualTo(LoadMode.APPEND);
    assertThat(config.limits()).isEqualTo(BatchLimits.DEFAULT);
  }

  @Test
  void parse_mergePkCommaSeparated_isCompositeKey() {
    TableConfig config = parse(minimal(",\"options\":{\"merge_duplicate_pks\":true,\"merge_pk\":\"tenant_id, Order_ID\"}"));

    // Kept as written; matched to the table's columns ignoring case when the batch SQL is built.
    assertThat(config.mergeKeys()).containsExactly(Identifier.exact("tenant_id"), Identifier.exact("Order_ID"));
    assertThat(config.timestampColumn()).isEmpty();
  }

  @Test
  void parse_mergePkArray_isCompositeKey() {
    TableConfig config = parse(minimal(",\"options\":{\"merge_duplicate_pks\":true,\"merge_pk\":[\"tenant_id\",\"order_id\"]}"));

    assertThat(config.mergeKeys()).containsExactly(Identifier.of("tenant_id"), Identifier.of("order_id"));
  }

  @Test
  void parse_everyExtension_mapsEachField() {
    TableConfig config = parse("{\"copy\":{\"table_name\":\"analytics.events\",\"role_arn\":\"" + ROLE
        + " , arn:aws-us-gov:iam::210987654321:role/path/landing-read\",\"options\":\"json 'auto' gzip\"},"
        + "\"cluster\":{\"workgroup_name\":\"Analytics-Serverless\",\"db_name\":\"Warehouse\","
        + "\"secret_arn\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift/loader-AbCdEf\"},"
        + "\"options\":{\"mode\":\"MERGE\",\"merge_keys\":[\"tenant_id\",\"event_id\"],\"merge_timestamp\":\"event_time\","
        + "\"max_batch_files\":500,\"max_batch_bytes\":536870912,\"pre_sql\":[\"LOCK analytics.events\"],"
        + "\"post_sql\":[\"  DELETE FROM analytics.events WHERE kind = 'ping'  \",\"ANALYZE analytics.events\"],"
        + "\"statement_prefix\":\"mbl-prod.v2\",\"history_table\":\"ops.load_history\",\"max_attempts\":3}}");

    assertThat(config.target()).isEqualTo(new WarehouseTarget(null, "analytics-serverless", "warehouse", null,
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift/loader-AbCdEf"));
    assertThat(config.iamRole()).isEqualTo(ROLE + ",arn:aws-us-gov:iam::210987654321:role/path/landing-read");
    assertThat(config.copyOptions().clauses()).containsExactly("FORMAT AS JSON 'auto'", "GZIP");
    assertThat(config.mode()).isEqualTo(LoadMode.MERGE);
    assertThat(config.mergeKeys()).containsExactly(Identifier.of("tenant_id"), Identifier.of("event_id"));
    assertThat(config.timestampColumn()).contains(Identifier.of("event_time"));
    assertThat(config.limits()).isEqualTo(new BatchLimits(500, 536_870_912L));
    assertThat(config.preSql()).containsExactly("LOCK analytics.events");
    assertThat(config.postSql()).containsExactly("DELETE FROM analytics.events WHERE kind = 'ping'",
        "ANALYZE analytics.events");
    assertThat(config.statementPrefix()).isEqualTo("mbl-prod.v2");
    assertThat(config.historyTable()).isEqualTo(TableName.of("ops", "load_history"));
    assertThat(config.maxAttempts()).isEqualTo(3);
  }

  @Test
  void parse_dbUserAndDefaultRole_mapped() {
    TableConfig config = parse("{\"copy\":{\"table_name\":\"orders\",\"role_arn\":\" DEFAULT \"},"
        + "\"cluster\":{\"identifier\":\"Analytics-2\",\"db_name\":\"dev\",\"db_user\":\"loader\"}}");

    assertThat(config.iamRole()).isEqualTo("default");
    assertThat(config.target()).isEqualTo(new WarehouseTarget("analytics-2", null, "dev", "loader", null));
  }

  @Test
  void parse_modeAppendWithMergeDuplicatePksTrue_reportsContradiction() {
    assertThat(problems(minimal(",\"options\":{\"mode\":\"append\",\"merge_duplicate_pks\":true,\"merge_pk\":\"id\"}")))
        .containsExactly("$.options.mode: mode \"append\" contradicts merge_duplicate_pks true; "
            + "fix: remove merge_duplicate_pks (mode replaces it) or make the two agree");
  }

  @Test
  void parse_modeMergeAgreeingWithMergeDuplicatePks_isMerge() {
    TableConfig config = parse(minimal(",\"options\":{\"mode\":\"merge\",\"merge_duplicate_pks\":true,\"merge_pk\":\"id\"}"));

    assertThat(config.mode()).isEqualTo(LoadMode.MERGE);
  }

  @Test
  void parse_unknownMode_reportsAllowedModes() {
    assertThat(problems(minimal(",\"options\":{\"mode\":\"upsert\"}")))
        .containsExactly("$.options.mode: 'upsert' is not a load mode; fix: use \"append\" or \"merge\"");
  }

  @Test
  void parse_mergeWithoutKeys_reportsMissingKeys() {
    assertThat(problems(minimal(",\"options\":{\"merge_duplicate_pks\":true,\"merge_pk\":[]}")))
        .singleElement().asString()
        .startsWith("$.options.merge_pk: merge mode needs at least one key column; fix: give merge_pk");
  }

  @Test
  void parse_mergePkAndMergeKeys_reportsBoth() {
    assertThat(problems(minimal(",\"options\":{\"mode\":\"merge\",\"merge_pk\":\"a\",\"merge_keys\":[\"a\"]}")))
        .containsExactly("$.options.merge_keys: both merge_pk and merge_keys are given; fix: keep one of them");
  }

  @Test
  void parse_repeatedKeyAndTimestampAsKey_reportsEach() {
    assertThat(problems(minimal(",\"options\":{\"mode\":\"merge\",\"merge_keys\":[\"id\",\"ID\"],"
        + "\"merge_timestamp\":\"id\"}")))
        .containsExactly(
            "$.options.merge_keys[1]: key column 'ID' is given twice; fix: list each key column once",
            "$.options.merge_timestamp: 'id' is also a merge key; fix: name the column that tells which row is "
                + "newer, e.g. 'updated_at'");
  }

  @Test
  void parse_manyProblems_reportsEveryOneWithItsPath() {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> parser.parse(resource("many-problems.json"), SOURCE));

    assertThat(e.source()).isEqualTo("s3://configs/queues/orders.json");
    assertThat(e.problems()).extracting(p -> p.substring(0, p.indexOf(": "))).containsExactly(
        "$.cluster.db_name",
        "$.options.merge_pks",
        "$.options.max_batch_bytes",
        "$.cluster",
        "$.copy.table_name",
        "$.copy.role_arn",
        "$.copy.options",
        "$.options.merge_keys[1]",
        "$.options.max_batch_files",
        "$.options.statement_prefix");
    assertThat(e.problems()).contains(
        "$.cluster.db_name: missing; fix: add \"db_name\" (see docs/configuration.md)",
        "$.options.max_batch_bytes: expected a whole number but got a string; "
            + "fix: write digits only, without quotes, a decimal point or an exponent",
        "$.cluster: both identifier and workgroup_name are given; "
            + "fix: keep identifier for a provisioned cluster or workgroup_name for Redshift Serverless",
        "$.copy.table_name: 'public.or;ders' is not a valid identifier: identifier 'or;ders' is not allowed: "
            + "use a letter or underscore, then letters, digits, '_' or '$' (at most 127 characters); "
            + "fix: give 'schema.table' or 'table' with plain names, e.g. 'public.orders'",
        "$.options.max_batch_files: 0 is out of range; fix: use 1 to 5000",
        "$.options.statement_prefix: 'mbl/prod' is not a valid statement prefix; "
            + "fix: use 1 to 40 letters, digits, '_', '.' or '-' (no '/'), e.g. \"mbl-prod\"");
    assertThat(e.getMessage()).startsWith("config s3://configs/queues/orders.json is invalid (10 problems):\n  - ");
  }

  @Test
  void parse_typoInFieldName_namesPathAndClosestKnownName() {
    assertThat(problems(minimal(",\"options\":{\"merge_duplicate_pks\":true,\"merge_pks\":\"id\",\"merge_pk\":\"id\"}")))
        .containsExactly("$.options.merge_pks: unknown field 'merge_pks'; fix: did you mean 'merge_pk'? "
            + "Fields allowed in $.options: merge_duplicate_pks, merge_pk, merge_timestamp, mode, merge_keys, "
            + "max_batch_files, max_batch_bytes, pre_sql, post_sql, statement_prefix, history_table, max_attempts, "
            + "expect_new_data_within, sources");
  }

  @Test
  void parse_unknownFieldsAtEveryLevel_eachReported() {
    List<String> problems = problems("{\"copy\":{\"table_name\":\"orders\",\"role_arn\":\"default\",\"Table\":1},"
        + "\"cluster\":{\"identifer\":\"analytics\",\"db_name\":\"dev\"},\"option\":{},\"odd key\":true}");

    assertThat(problems).extracting(p -> p.substring(0, p.indexOf(';'))).containsExactly(
        "$.option: unknown field 'option'",
        "$['odd key']: unknown field 'odd key'",
        "$.copy.Table: unknown field 'Table'",
        "$.cluster.identifer: unknown field 'identifer'",
        "$.cluster.identifier: missing");
    assertThat(problems.get(0)).contains("did you mean 'options'?");
    assertThat(problems.get(2)).contains("did you mean 'table_name'?");
    assertThat(problems.get(3)).contains("did you mean 'identifier'?");
  }

  @Test
  void parse_wrongJsonTypes_reportEachExpectedType() {
    assertThat(problems("{\"copy\":{\"table_name\":7,\"role_arn\":\"default\"},\"cluster\":[],"
        + "\"options\":{\"merge_duplicate_pks\":\"true\",\"pre_sql\":\"SELECT 1\",\"post_sql\":[\"ok\",1],"
        + "\"max_attempts\":2.5}}")).containsExactly(
            "$.copy.table_name: expected a string but got a number; fix: put the value in double quotes",
            "$.cluster: expected an object but got an array; fix: write it as {\"field\": value, ...}",
            "$.options.merge_duplicate_pks: expected true or false but got a string; "
                + "fix: write true or false without quotes",
            "$.options.pre_sql: expected an array of strings but got a string; fix: write it as [\"...\", \"...\"]",
            "$.options.post_sql[1]: expected a string but got a number; fix: put the value in double quotes",
            "$.options.max_attempts: expected a whole number but got a number; "
                + "fix: write digits only, without quotes, a decimal point or an exponent");
  }

  @Test
  void parse_missingSections_reportsEachSectionOnce() {
    assertThat(problems("{}")).containsExactly(
        "$.copy: missing; fix: add the \"copy\" object (see config-samples/orders.json)",
        "$.cluster: missing; fix: add the \"cluster\" object (see config-samples/orders.json)");
  }

  @Test
  void parse_malformedJson_reportsLineAndColumnOnly() {
    assertThat(problems(resource("malformed.json"))).singleElement().asString()
        .startsWith("$: the JSON is malformed at line 6, column 3 (Unexpected character ('\"' (code 34)): "
            + "was expecting comma to separate Object entries)")
        .endsWith("; fix: correct the JSON there (check quotes, commas and braces), e.g. with 'jq . file.json'");
  }

  @Test
  void parse_duplicateField_isMalformed() {
    assertThat(problems("{\"copy\":{},\"copy\":{}}")).singleElement().asString()
        .startsWith("$: the JSON is malformed at line 1, column ").contains("Duplicate field 'copy'");
  }

  @Test
  void parse_trailingContent_isMalformed() {
    assertThat(problems(minimal("") + " {}")).singleElement().asString()
        .startsWith("$: the JSON is malformed at line 1");
  }

  @Test
  void parse_emptyOrNonObject_reportsOneProblem() {
    assertThat(problems("  ")).containsExactly(
        "$: the config is empty; fix: upload a JSON object such as config-samples/orders.json");
    assertThat(catchThrowableOfType(InvalidConfigException.class, () -> parser.parse(null, SOURCE)).problems())
        .containsExactly("$: the config is empty; fix: upload a JSON object such as config-samples/orders.json");
    assertThat(problems("[1]")).containsExactly("$: expected a JSON object but got an array; "
        + "fix: write the config as {\"copy\": {...}, \"cluster\": {...}, \"options\": {...}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders; drop table x", "orders\"", "or'ders", "ordérs", "оrders", "public.orders.x",
      "", " ", "orders--", "1orders", "ord\u0000ers", "public.\"orders\""})
  void parse_hostileTableName_rejectedAtTableNamePath(String hostile) {
    assertThat(problems(minimal("").replace("\"orders\"", quoteJson(hostile)))).singleElement().asString()
        .startsWith("$.copy.table_name: '")
        .contains("' is not a valid identifier: ")
        .doesNotContain("\u0000");
  }

  // "Names and identifiers": a delimited identifier may hold any printable character; the SQL
  // quotes it (doubling "), so such a key cannot change a statement.
  @ParameterizedTest
  @ValueSource(strings = {"id; drop table x", "id\"", "ïd", "a b", "x)--", "Größe", "订单号"})
  void parse_unusualMergeKey_keptExactlyAsWritten(String name) {
    TableConfig config = parse(minimal(",\"options\":{\"merge_duplicate_pks\":true,\"merge_pk\":[\"id\","
        + quoteJson(name) + "]}"));

    assertThat(config.mergeKeys()).containsExactly(Identifier.exact("id"), Identifier.exact(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\u0001b", "x\ny"})
  void parse_emptyOrControlCharMergeKey_rejectedAtItsArrayIndex(String hostile) {
    assertThat(problems(minimal(",\"options\":{\"merge_duplicate_pks\":true,\"merge_pk\":[\"id\","
        + quoteJson(hostile) + "]}"))).singleElement().asString()
        .startsWith("$.options.merge_pk[1]: '").contains("' is not a valid identifier: ");
  }

  @Test
  void parse_mergeKeyOverRedshiftsByteLimit_rejected() {
    String name = "é".repeat(64);

    assertThat(problems(minimal(",\"options\":{\"merge_duplicate_pks\":true,\"merge_pk\":\"" + name + "\"}")))
        .singleElement().asString().contains("is 128 bytes of UTF-8; Redshift names are at most 127 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"arn:aws:iam::123456789012:role/x' --", "arn:aws:iam::123456789012:user/x",
      "arn:aws:iam::12345678901:role/x", "arn:aws:s3:::bucket", "role/x", "", "arn:aws:iam::123456789012:role/a b"})
  void parse_badRoleArn_rejectedWithFix(String role) {
    assertThat(problems(minimal("").replace("\"default\"", quoteJson(role)))).singleElement().asString()
        .startsWith("$.copy.role_arn: '")
        .endsWith("' is not an IAM role ARN; fix: give arn:aws:iam::<12-digit account>:role/<name>, up to 10 such "
            + "ARNs separated by commas to chain roles, or \"default\" for the cluster's default role");
  }

  @Test
  void parse_badChainedRole_namesItsPlace() {
    assertThat(problems(minimal("").replace("\"default\"", "\"" + ROLE + ",nope\"")))
        .singleElement().asString().startsWith("$.copy.role_arn: role 2 of the chain, 'nope' is not an IAM role ARN");
  }

  @Test
  void parse_elevenChainedRoles_rejected() {
    String chain = String.join(",", Collections.nCopies(11, ROLE));

    assertThat(problems(minimal("").replace("\"default\"", "\"" + chain + "\"")))
        .singleElement().asString().startsWith("$.copy.role_arn: chains 11 roles; fix: ");
  }

  @Test
  void parse_badClusterFields_reportEach() {
    List<String> problems = problems("{\"copy\":{\"table_name\":\"orders\",\"role_arn\":\"default\"},"
        + "\"cluster\":{\"identifier\":\"Analytics--1\",\"db_name\":\"dev;x\",\"db_user\":\"a b\","
        + "\"secret_arn\":\"arn:aws:iam::123456789012:role/x\"}}");

    assertThat(problems).extracting(p -> p.substring(0, p.indexOf("; fix: "))).containsExactly(
        "$.cluster.identifier: 'Analytics--1' is not a valid cluster identifier",
        "$.cluster.db_name: 'dev;x' is not a valid identifier: identifier 'dev;x' is not allowed: use a letter or "
            + "underscore, then letters, digits, '_' or '$' (at most 127 characters)",
        "$.cluster.db_user: 'a b' is not a valid database user name",
        "$.cluster.secret_arn: 'arn:aws:iam::123456789012:role/x' is not a valid Secrets Manager secret ARN",
        "$.cluster: both db_user and secret_arn are given");
  }

  @Test
  void parse_workgroupWithDbUser_rejected() {
    assertThat(problems("{\"copy\":{\"table_name\":\"orders\",\"role_arn\":\"default\"},"
        + "\"cluster\":{\"workgroup_name\":\"wg\",\"db_name\":\"dev\",\"db_user\":\"loader\"}}"))
        .containsExactly(
            "$.cluster.workgroup_name: 'wg' is not a valid workgroup name; "
                + "fix: use 3 to 64 letters, digits and hyphens",
            "$.cluster.db_user: db_user does not apply to a Serverless workgroup; "
                + "fix: use secret_arn, or leave both out for the caller's IAM identity");
  }

  @Test
  void parse_badCopyOptions_reportedAtCopyOptionsWithFix() {
    assertThat(problems(minimal("").replace("\"default\"", "\"default\",\"options\":\"CSV; DROP TABLE x\"")))
        .containsExactly("$.copy.options: ';' at position 4 would end the COPY statement; "
            + "fix: remove it: the options are one list of clauses");
  }

  @Test
  void parse_historyTableIsTarget_rejected() {
    assertThat(problems(minimal(",\"options\":{\"history_table\":\"public.orders\"}"))).containsExactly(
        "$.options.history_table: 'public.orders' is the target table itself; "
            + "fix: name a separate table, or leave history_table out to use <table>_mbl_history");
  }

  @Test
  void parse_limitsOutOfRange_reportedWithRanges() {
    assertThat(problems(minimal(",\"options\":{\"max_batch_files\":5001,\"max_batch_bytes\":0,\"max_attempts\":101,"
        + "\"statement_prefix\":\"" + "p".repeat(41) + "\",\"pre_sql\":[\" \"]}")))
        .extracting(p -> p.substring(0, p.indexOf(';'))).containsExactly(
            "$.options.max_batch_files: 5001 is out of range",
            "$.options.max_batch_bytes: 0 is out of range",
            "$.options.pre_sql[0]: the statement is empty",
            "$.options.statement_prefix: '" + "p".repeat(41) + "' is not a valid statement prefix",
            "$.options.max_attempts: 101 is out of range");
  }

  @Test
  void parse_mergeWithThirtyStatements_fitsTheBatch() {
    TableConfig config = parse(withSql("merge", 20, 10));

    assertThat(config.preSql().size() + config.postSql().size()).isEqualTo(30);
  }

  @Test
  void parse_mergeWithThirtyOneStatements_reportsTheBudget() {
    assertThat(problems(withSql("merge", 20, 11))).containsExactly("$.options: pre_sql and post_sql hold 31 "
        + "statements, but a merge batch runs 10 of its own and the Data API takes at most 40; "
        + "fix: keep pre_sql and post_sql to 30 statements together, e.g. by calling a stored procedure");
  }

  @Test
  void parse_appendStatementBudget_isThirtyFour() {
    assertThat(parse(withSql("append", 34, 0)).preSql()).hasSize(34);
    assertThat(problems(withSql("append", 0, 35))).singleElement().asString()
        .startsWith("$.options: pre_sql and post_sql hold 35 statements, but an append batch runs 6 of its own");
  }

  @Test
  void parse_userSqlOverNinetyThousandBytes_rejected() {
    String big = "SELECT '" + "é".repeat(22_500) + "'";
    String json = minimal(",\"options\":{\"pre_sql\":[\"" + big + "\",\"" + big + "\"]}");

    assertThat(problems(json)).singleElement().asString()
        .startsWith("$.options: pre_sql and post_sql hold 90018 bytes of SQL, more than the 90000");
  }

  @ParameterizedTest
  @EnumSource(LoadMode.class)
  void fixedStatements_eachMode_agreesWithSqlBuilder(LoadMode mode) {
    assertThat(ConfigParser.fixedStatements(mode)).isEqualTo(BatchSqlBuilder.fixedStatementCount(mode));
    assertThat(ConfigParser.MAX_BATCH_STATEMENTS).isEqualTo(BatchSqlBuilder.MAX_STATEMENTS);
  }

  @Test
  void parse_nullSource_rejected() {
    assertThatThrownBy(() -> parser.parse(new byte[0], null)).isInstanceOf(NullPointerException.class)
        .hasMessage("source");
  }

  @Test
  void parse_namesTooLongForDataApiStatementNames_reportsTheLengthAndTheFix() {
    String longName = "t".repeat(120);
    String json = "{\"copy\":{\"role_arn\":\"" + ROLE + "\",\"table_name\":\"" + "s".repeat(120) + "." + longName
        + "\"},\"cluster\":{\"identifier\":\"" + "c".repeat(63) + "\",\"db_name\":\"" + "d".repeat(127) + "\"},"
        + "\"options\":{\"statement_prefix\":\"" + "p".repeat(30) + "\",\"history_table\":\"ops.history\"}}";

    // 30 + 63 + 127 + 241 + 4 separators + 26 (batch id) + 10 (".diagnosis", the longest name) = 501
    assertThatThrownBy(() -> parser.parse(json.getBytes(StandardCharsets.UTF_8), SOURCE))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("$.copy.table_name: statement names for this table would be 501 characters")
        .hasMessageContaining("shorten options.statement_prefix");
  }

  private static String withSql(String mode, int pre, int post) {
    String keys = mode.equals("merge") ? ",\"merge_pk\":\"id\",\"merge_timestamp\":\"ts\"" : "";
    return minimal(",\"options\":{\"mode\":\"" + mode + "\"" + keys
        + ",\"pre_sql\":[" + String.join(",", Collections.nCopies(pre, "\"SELECT 1\"")) + "]"
        + ",\"post_sql\":[" + String.join(",", Collections.nCopies(post, "\"SELECT 2\"")) + "]}");
  }

  /** A valid config for public.orders with the given text appended after the cluster section. */
  static String minimal(String more) {
    return "{\"copy\":{\"table_name\":\"orders\",\"role_arn\":\"default\"},"
        + "\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"}" + more + "}";
  }

  /** {@link #minimal} for another table, as bytes. */
  static byte[] minimalFor(String table) {
    return minimal("").replace("\"orders\"", "\"" + table + "\"").getBytes(StandardCharsets.UTF_8);
  }

  private static String quoteJson(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  private TableConfig parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8), SOURCE);
  }

  private List<String> problems(String json) {
    return problems(json.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> problems(byte[] json) {
    return catchThrowableOfType(InvalidConfigException.class, () -> parser.parse(json, SOURCE)).problems();
  }

  static byte[] resource(String name) {
    try (InputStream in = ConfigParserTest.class.getResourceAsStream("/config/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource /config/" + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
