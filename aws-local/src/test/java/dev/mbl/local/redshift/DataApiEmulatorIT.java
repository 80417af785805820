package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsResponse;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

/** The Data API operations, driven by the unmodified SDK client. */
class DataApiEmulatorIT {
  private static EmulatorFixture fixture;
  private static RedshiftDataClient data;

  @BeforeAll
  static void start() {
    fixture = EmulatorFixture.start();
    data = fixture.data();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void localPostgres_runsOnItsPort_andStatementsRunInUtc() {
    assertThat(fixture.postgres.jdbcUrl()).contains(":" + fixture.postgres.port() + "/");
    assertThat(fixture.query("SELECT current_user")).containsExactly(List.of("postgres"));
    assertThat(fixture.emulator.endpoint().getHost()).isEqualTo("127.0.0.1");

    String id = data.executeStatement(e -> e.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .sql("SELECT current_setting('TimeZone')")).id();
    fixture.await(id);

    assertThat(data.getStatementResult(r -> r.id(id)).records().get(0).get(0).stringValue()).isEqualTo("UTC");
  }

  @Test
  void executeStatement_selectWithParameters_returnsTypedRecords() {
    fixture.execute("CREATE TABLE people (id BIGINT ENCODE az64, name VARCHAR(20), score FLOAT8, ok BOOLEAN, "
        + "born DATE, doc SUPER) DISTSTYLE EVEN");
    fixture.execute("INSERT INTO people VALUES (1, 'ann', 1.5, true, '2000-01-02', JSON_PARSE('{\"a\":1}')), "
        + "(2, NULL, NULL, false, NULL, NULL)");

    String id = data.executeStatement(e -> e.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .sql("SELECT id, name, score, ok, born, doc FROM people WHERE id >= :min ORDER BY id")
        .parameters(SqlParameter.builder().name("min").value("1").build())).id();
    DescribeStatementResponse done = fixture.await(id);
    GetStatementResultResponse result = data.getStatementResult(r -> r.id(id));

    assertThat(done.statusAsString()).isEqualTo("FINISHED");
    assertThat(done.hasResultSet()).isTrue();
    assertThat(done.resultRows()).isEqualTo(2);
    assertThat(done.queryString()).contains(":min");
    assertThat(done.queryParameters()).extracting(SqlParameter::value).containsExactly("1");
    assertThat(result.totalNumRows()).isEqualTo(2);
    assertThat(result.columnMetadata()).extracting(ColumnMetadata::name)
        .containsExactly("id", "name", "score", "ok", "born", "doc");
    assertThat(result.columnMetadata().get(5).typeName()).isEqualTo("super");
    List<Field> first = result.records().get(0);
    assertThat(first.get(0).longValue()).isEqualTo(1L);
    assertThat(first.get(1).stringValue()).isEqualTo("ann");
    assertThat(first.get(2).doubleValue()).isEqualTo(1.5);
    assertThat(first.get(3).booleanValue()).isTrue();
    assertThat(first.get(4).stringValue()).isEqualTo("2000-01-02");
    assertThat(first.get(5).stringValue()).isEqualTo("{\"a\": 1}");
    assertThat(result.records().get(1).get(1).isNull()).isTrue();
  }

  @Test
  void batchExecuteStatement_failingStatement_rollsBackAllAndReportsSubStatements() {
    String id = data.batchExecuteStatement(b -> b.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .sqls("CREATE TABLE rolled_back (a INT)", "INSERT INTO rolled_back VALUES (1)", "SELECT * FROM missing_table",
            "SELECT 1")).id();
    DescribeStatementResponse done = fixture.await(id);

    assertThat(done.statusAsString()).isEqualTo("FAILED");
    assertThat(done.error()).isEqualTo("ERROR: relation \"missing_table\" does not exist");
    assertThat(done.subStatements()).extracting(s -> s.statusAsString())
        .containsExactly("FINISHED", "FINISHED", "FAILED", "ABORTED");
    assertThat(done.subStatements().get(2).id()).isEqualTo(id + ":3");
    assertThat(done.subStatements().get(2).error()).isEqualTo(done.error());
    assertThat(done.subStatements().get(1).resultRows()).isEqualTo(1);
    assertThat(fixture.query("SELECT to_regclass('rolled_back') IS NULL")).containsExactly(List.of("t"));
    DescribeStatementResponse sub = data.describeStatement(d -> d.id(id + ":2"));
    assertThat(sub.queryString()).isEqualTo("INSERT INTO rolled_back VALUES (1)");
    assertThat(sub.statusAsString()).isEqualTo("FINISHED");
  }

  @Test
  void batchExecuteStatement_sameClientToken_returnsTheSameIdAndRunsOnce() {
    fixture.execute("CREATE TABLE tokens (a INT)");
    var first = data.batchExecuteStatement(b -> b.workgroupName("wg-local").database("dev")
        .sqls("INSERT INTO tokens VALUES (1)").clientToken("token-1"));
    var second = data.batchExecuteStatement(b -> b.workgroupName("wg-local").database("dev")
        .sqls("INSERT INTO tokens VALUES (1)").clientToken("token-1"));
    fixture.await(first.id());

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(first.workgroupName()).isEqualTo("wg-local");
    assertThat(fixture.query("SELECT count(*) FROM tokens")).containsExactly(List.of("1"));
  }

  @Test
  void listStatements_filtersByNamePrefixAndStatusNewestFirstWithPages() {
    List<String> ids = IntStream.range(0, 3).mapToObj(i -> data.executeStatement(e -> e
        .clusterIdentifier(EmulatorFixture.CLUSTER).database("dev").sql("SELECT " + i)
        .statementName("list-test/" + i)).id()).toList();
    ids.forEach(fixture::await);

    ListStatementsResponse page1 = data.listStatements(l -> l.statementName("list-test/")
        .status(StatusString.ALL).maxResults(2));
    ListStatementsResponse page2 = data.listStatements(l -> l.statementName("list-test/")
        .status(StatusString.ALL).maxResults(2).nextToken(page1.nextToken()));

    assertThat(page1.statements()).extracting(StatementData::id).containsExactly(ids.get(2), ids.get(1));
    assertThat(page2.statements()).extracting(StatementData::id).containsExactly(ids.get(0));
    assertThat(page2.nextToken()).isNull();
    assertThat(page1.statements().get(0).statementName()).isEqualTo("list-test/2");
    assertThat(page1.statements().get(0).createdAt()).isNotNull();
    assertThat(data.listStatements(l -> l.statementName("list-test/").status(StatusString.FAILED)).statements())
        .isEmpty();
  }

  @Test
  void cancelStatement_running_endsAbortedWithAnEvent() {
    String id = data.executeStatement(e -> e.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .sql("SELECT pg_sleep(30)").withEvent(true).statementName("cancel-me")).id();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(data.describeStatement(d -> d.id(id)).statusAsString()) && System.nanoTime() < deadline) {
      EmulatorFixture.sleep(20);
    }
    EmulatorFixture.sleep(200);

    assertThat(data.cancelStatement(c -> c.id(id)).status()).isTrue();
    assertThat(fixture.await(id).statusAsString()).isEqualTo("ABORTED");
    assertThat(fixture.eventOf(id).path("detail").path("state").asText()).isEqualTo("ABORTED");
    assertThatThrownBy(() -> data.cancelStatement(c -> c.id(id)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Could not cancel a query that is already in ABORTED state.");
  }

  @Test
  void describeTable_redshiftDdl_listsColumnsInOrderWithRedshiftTypes() {
    fixture.execute("CREATE TABLE public.described (id BIGINT NOT NULL DISTKEY, note VARCHAR(MAX), "
        + "amount DECIMAL(12,2), doc SUPER, at TIMESTAMP) SORTKEY (id)");

    var columns = data.describeTable(d -> d.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .schema("public").table("described")).columnList();

    assertThat(columns).extracting(ColumnMetadata::name).containsExactly("id", "note", "amount", "doc", "at");
    assertThat(columns).extracting(ColumnMetadata::typeName)
        .containsExactly("int8", "varchar", "numeric", "super", "timestamp");
    assertThat(columns.get(0).nullable()).isZero();
    assertThat(columns.get(1).length()).isEqualTo(65_535);
    assertThat(columns.get(2).precision()).isEqualTo(12);
    assertThat(columns.get(2).scale()).isEqualTo(2);
    assertThat(data.describeTable(d -> d.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .schema("public").table("no_such_table")).columnList()).isEmpty();
  }

  @Test
  void errors_areTheServicesExceptions() {
    assertThatThrownBy(() -> data.describeStatement(d -> d.id("00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Query does not exist.")
        .satisfies(e -> assertThat(((software.amazon.awssdk.awscore.exception.AwsServiceException) e).statusCode())
            .as("HTTP status").isEqualTo(400));
    assertThatThrownBy(() -> data.batchExecuteStatement(b -> b.clusterIdentifier(EmulatorFixture.CLUSTER)
        .database("dev").sqls(Collections.nCopies(41, "SELECT 1"))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Member must have length less than or equal to 40")
        .satisfies(e -> assertThat(((ValidationException) e).statusCode()).as("HTTP status").isEqualTo(400));
    String id = data.executeStatement(e -> e.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .sql("UNLOAD ('select 1') TO 's3://data/out/' IAM_ROLE default")).id();
    assertThat(fixture.await(id).error()).isEqualTo("ERROR: UNLOAD is not emulated by the local Data API");
    assertThatThrownBy(() -> data.getStatementResult(r -> r.id(id)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void withEvent_sendsEventBridgesStatusChange() {
    String id = data.batchExecuteStatement(b -> b.workgroupName("wg-events").database("dev")
        .sqls("CREATE TEMP TABLE x (a INT)", "INSERT INTO x VALUES (1), (2)").withEvent(true)
        .statementName("events/1")).id();
    fixture.await(id);

    JsonNode event = fixture.eventOf(id);

    assertThat(event.path("detail-type").asText()).isEqualTo("Redshift Data Statement Status Change");
    assertThat(event.path("source").asText()).isEqualTo("aws.redshift-data");
    assertThat(event.path("account").asText()).isEqualTo(EmulatorFixture.ACCOUNT);
    assertThat(event.path("region").asText()).isEqualTo(EmulatorFixture.REGION);
    assertThat(event.path("resources").get(0).asText())
        .startsWith("arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/");
    assertThat(event.path("detail").path("statementName").asText()).isEqualTo("events/1");
    assertThat(event.path("detail").path("state").asText()).isEqualTo("FINISHED");
    assertThat(event.path("detail").path("rows").asLong()).isEqualTo(2);
    assertThat(event.path("detail").path("principal").asText()).isEqualTo("arn:aws:iam::123456789012:user/local");
  }

  @Test
  void describeStatement_finished_reportsDurationInNanoseconds() {
    String id = data.executeStatement(e -> e.clusterIdentifier(EmulatorFixture.CLUSTER).database("dev")
        .sql("SELECT pg_sleep(0.3)")).id();

    var described = fixture.await(id);

    assertThat(described.statusAsString()).isEqualTo("FINISHED");
    assertThat(described.duration()).as("Duration in ns of a 0.3 s statement")
        .isBetween(300_000_000L, 30_000_000_000L);
  }
}
