package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.event.NextLoaderInputParser;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataApiJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant CREATED = Instant.parse("2024-11-20T10:15:30.123Z");

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static SubmitRequest batch(List<String> sqls) {
    return new SubmitRequest(sqls, true, "dev-cluster", null, "dev", "loader", null, "mbl/orders/01JD", true,
        Map.of(), "tok-1");
  }

  @Test
  void submit_batchBody_readsEveryField() throws Exception {
    SubmitRequest request = DataApiJson.submit(json("{'Sqls':['SELECT 1','SELECT :v'],'ClusterIdentifier':'dev-cluster',"
        + "'Database':'dev','DbUser':'loader','StatementName':'mbl/orders/01JD','WithEvent':true,'ClientToken':'tok-1',"
        + "'Parameters':[{'name':'v','value':'x'}]}"), true);

    assertThat(request).isEqualTo(new SubmitRequest(List.of("SELECT 1", "SELECT :v"), true, "dev-cluster", null, "dev",
        "loader", null, "mbl/orders/01JD", true, Map.of("v", "x"), "tok-1"));
  }

  @Test
  void submit_tooManyStatements_isAValidationExceptionLikeTheService() throws Exception {
    String sqls = String.join(",", Collections.nCopies(41, "'SELECT 1'"));

    assertThatThrownBy(() -> DataApiJson.submit(json("{'Sqls':[" + sqls + "],'WorkgroupName':'wg1','Database':'dev'}"),
        true))
        .isInstanceOfSatisfying(DataApiException.class, e -> assertThat(e.type()).isEqualTo("ValidationException"))
        .hasMessage("1 validation error detected: Value at 'sqls' failed to satisfy constraint: Member must have "
            + "length less than or equal to 40");
  }

  @Test
  void submit_moreThan100KB_isRejected() throws Exception {
    String big = "SELECT " + "x".repeat(100_000);

    assertThatThrownBy(() -> DataApiJson.submit(json("{'Sql':'" + big + "','WorkgroupName':'wg1','Database':'dev'}"),
        false))
        .isInstanceOf(DataApiException.class)
        .hasMessage("The SQL statements are 100007 bytes; the Data API accepts at most 100000 bytes (100 KB) in one request");
  }

  @Test
  void submit_missingOrUnusedParts_areRejected() {
    assertThatThrownBy(() -> DataApiJson.submit(json("{'Sql':'SELECT 1','Database':'dev'}"), false))
        .hasMessage("Either ClusterIdentifier or WorkgroupName must be specified");
    assertThatThrownBy(() -> DataApiJson.submit(json("{'Sql':'SELECT 1','ClusterIdentifier':'c','Database':'dev',"
        + "'Parameters':[{'name':'x','value':'1'}]}"), false))
        .hasMessage("Parameter 'x' is not used in the SQL statement");
    assertThatThrownBy(() -> DataApiJson.submit(json("{'Sql':'SELECT :y','ClusterIdentifier':'c','Database':'dev',"
        + "'Parameters':[{'name':'x','value':'1'}]}"), false))
        .hasMessage("The SQL statement uses the parameter :y, which the request does not give");
    assertThatThrownBy(() -> DataApiJson.submit(json("{'Sql':'SELECT 1','ClusterIdentifier':'Bad_Name',"
        + "'Database':'dev'}"), false))
        .hasMessageContaining("at 'clusterIdentifier' failed to satisfy constraint");
  }

  @Test
  void describe_batch_writesSubStatementsWithSuffixedIds() {
    Statement statement = new Statement("d9b6c0c9-0747-4bf4-b142-e8883122f766", 1,
        batch(List.of("CREATE TABLE t (a int)", "SELECT 1")), CREATED);
    statement.pick();
    statement.start(42);
    statement.startSub(0, 7);
    statement.finishSub(0, 0, null);
    statement.startSub(1, 8);
    statement.end(StatementStatus.FAILED, 1, "ERROR: boom");

    JsonNode out = DataApiJson.describe(statement.view());

    assertThat(out.get("Id").asText()).isEqualTo("d9b6c0c9-0747-4bf4-b142-e8883122f766");
    assertThat(out.get("Status").asText()).isEqualTo("FAILED");
    assertThat(out.get("Error").asText()).isEqualTo("ERROR: boom");
    assertThat(out.get("ClusterIdentifier").asText()).isEqualTo("dev-cluster");
    assertThat(out.get("DbUser").asText()).isEqualTo("loader");
    assertThat(out.get("CreatedAt").decimalValue()).isEqualByComparingTo("1732097730.123");
    assertThat(out.get("RedshiftQueryId").asLong()).isEqualTo(8);
    assertThat(out.has("QueryString")).isFalse();
    JsonNode subs = out.get("SubStatements");
    assertThat(subs).hasSize(2);
    assertThat(subs.get(0).get("Id").asText()).isEqualTo("d9b6c0c9-0747-4bf4-b142-e8883122f766:1");
    assertThat(subs.get(0).get("Status").asText()).isEqualTo("FINISHED");
    assertThat(subs.get(0).get("QueryString").asText()).isEqualTo("CREATE TABLE t (a int)");
    assertThat(subs.get(0).get("Duration").asLong()).isNotNegative();
    assertThat(subs.get(1).get("Status").asText()).isEqualTo("FAILED");
    assertThat(subs.get(1).get("Error").asText()).isEqualTo("ERROR: boom");
    assertThat(subs.get(1).get("HasResultSet").asBoolean()).isFalse();
  }

  @Test
  void result_writesTypedFieldsAndColumnMetadata() {
    ResultTable table = new ResultTable(List.of(
        new ResultTable.Column("id", "id", "int8", 19, 0, 0, true, false, false, "public", "t"),
        new ResultTable.Column("note", "note", "varchar", 10, 0, 1, false, true, false, "public", "t")),
        List.of(List.of(1L, "a"), java.util.Arrays.asList(2L, null), List.of(3L, "c")));

    JsonNode out = DataApiJson.result(table, 0, 2);

    assertThat(out.get("Records").toString())
        .isEqualTo("[[{\"longValue\":1},{\"stringValue\":\"a\"}],[{\"longValue\":2},{\"isNull\":true}]]");
    assertThat(out.get("TotalNumRows").asInt()).isEqualTo(3);
    assertThat(out.get("NextToken").asText()).isEqualTo("row-2");
    assertThat(out.get("ColumnMetadata").get(1).get("typeName").asText()).isEqualTo("varchar");
    assertThat(out.get("ColumnMetadata").get(1).get("nullable").asInt()).isEqualTo(1);
  }

  @Test
  void error_isTheServicesErrorBody() {
    JsonNode out = DataApiJson.error(DataApiException.notFound("Query does not exist.", "abc"));

    assertThat(out.toString())
        .isEqualTo("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Query does not exist.\",\"ResourceId\":\"abc\"}");
  }

  @Test
  void statusEvent_hasEventBridgesExactShapeAndMblParsesIt() throws Exception {
    Statement statement = new Statement("d9b6c0c9-0747-4bf4-b142-e8883122f766", 1, batch(List.of("SELECT 1")), CREATED);
    statement.pick();
    statement.start(42);
    statement.startSub(0, 9);
    statement.finishSub(0, 3, null);
    statement.end(StatementStatus.FINISHED, -1, null);
    Instant now = Instant.parse("2024-11-20T10:16:00.500Z");

    String event = new StatusEvents("eu-west-1", "123456789012").event(statement.view(), "e-1", now);

    assertThat(event).isEqualTo("{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"Redshift Data Statement Status "
        + "Change\",\"source\":\"aws.redshift-data\",\"account\":\"123456789012\",\"time\":\"2024-11-20T10:16:00Z\","
        + "\"region\":\"eu-west-1\",\"resources\":[\"arn:aws:redshift:eu-west-1:123456789012:cluster:dev-cluster\"],"
        + "\"detail\":{\"principal\":\"arn:aws:iam::123456789012:user/local\",\"statementName\":\"mbl/orders/01JD\","
        + "\"statementId\":\"d9b6c0c9-0747-4bf4-b142-e8883122f766\",\"redshiftQueryId\":9,\"state\":\"FINISHED\","
        + "\"rows\":3,\"expireAt\":" + now.plusSeconds(86_400).getEpochSecond() + "}}");
    StatementEvent parsed = NextLoaderInputParser.create().parseStatementEvent(event.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.state()).isEqualTo(StatementState.FINISHED);
    assertThat(parsed.statementId()).isEqualTo(statement.id());
  }

  @Test
  void statusEvent_workgroup_namesTheServerlessWorkgroupArn() {
    SubmitRequest request = new SubmitRequest(List.of("SELECT 1"), false, null, "wg-local", "dev", null, null, null,
        true, Map.of(), null);

    assertThat(new StatusEvents("us-east-1", "000000000000").resource(request))
        .matches("arn:aws:redshift-serverless:us-east-1:000000000000:workgroup/[0-9a-f-]{36}");
  }
}
