package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mbl.config.BatchLimits;
import dev.mbl.config.ConfigRef;
import dev.mbl.config.CopyOptions;
import dev.mbl.config.LoadMode;
import dev.mbl.config.TableConfig;
import dev.mbl.config.WarehouseTarget;
import dev.mbl.event.NextLoaderInputParser;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import dev.mbl.load.StatementName;
import dev.mbl.load.TableKey;
import dev.mbl.sql.BatchRequest;
import dev.mbl.sql.BatchSqlBuilder;
import dev.mbl.sql.Column;
import dev.mbl.sql.Identifier;
import dev.mbl.sql.TableName;
import dev.mbl.warehouse.DataApiWarehouse;
import dev.mbl.warehouse.ErrorClass;
import dev.mbl.warehouse.ErrorClassifier;
import dev.mbl.warehouse.StatementStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mbl's real batch SQL ({@link BatchSqlBuilder}) submitted through mbl's real {@link DataApiWarehouse}
 * to the emulator: merge semantics, the status event, load errors, the history guard and 1023.
 */
class MblBatchIT {
  private static final WarehouseTarget TARGET = WarehouseTarget.cluster(EmulatorFixture.CLUSTER, "dev");
  private static final String HEADER = "id,amount,updated_at,payload,note\n";
  private static final CopyOptions CSV_GZIP = CopyOptions.parse("format as csv ignoreheader 1 gzip timeformat 'auto'");
  private static EmulatorFixture fixture;
  private static DataApiWarehouse warehouse;

  @BeforeAll
  static void start() {
    fixture = EmulatorFixture.start();
    warehouse = new DataApiWarehouse(fixture.data());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void mergeBatches_latestRowPerKeyWins_andEachBatchSendsItsEvent() throws Exception {
    TableName table = createOrders("merged");
    TableConfig config = config(table, List.of());
    String first = submit(config, "01JD3X9Q8R2V4W6Y8Z0A1B2C3D", "token-1",
        file("merged/a.csv.gz", "1,10.00,2024-11-20 10:00:00,\"{\"\"v\"\":1}\",first\n"
            + "2,20.00,2024-11-20 10:00:00,,second\n1,11.00,2024-11-20 11:00:00,\"{\"\"v\"\":2}\",first-later\n"),
        file("merged/b.csv.gz", "3,30.00,2024-11-20 10:00:00,,third\n"));

    assertThat(await(first).state()).isEqualTo(StatementState.FINISHED);
    assertThat(rows(table)).containsExactly(
        List.of("1", "11.00", "2024-11-20 11:00:00", "{\"v\": 2}", "first-later"),
        java.util.Arrays.asList("2", "20.00", "2024-11-20 10:00:00", null, "second"),
        java.util.Arrays.asList("3", "30.00", "2024-11-20 10:00:00", null, "third"));
    JsonNode event = fixture.eventOf(first);
    StatementEvent parsed = NextLoaderInputParser.create()
        .parseStatementEvent(event.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.state()).isEqualTo(StatementState.FINISHED);
    assertThat(parsed.statementName()).isEqualTo(name(config, "01JD3X9Q8R2V4W6Y8Z0A1B2C3D"));
    assertThat(parsed.resources()).containsExactly("arn:aws:redshift:us-east-1:123456789012:cluster:local-cluster");
    assertThat(warehouse.findByName(TARGET, parsed.statementName()).map(StatementStatus::statementId))
        .contains(first);

    String second = submit(config, "01JD3X9Q8R2V4W6Y8Z0A1B2C3E", "token-2",
        file("merged/c.csv.gz", "2,21.00,2024-11-20 12:00:00,,second-newer\n3,29.00,2024-11-20 09:00:00,,third-older\n"));

    assertThat(await(second).state()).isEqualTo(StatementState.FINISHED);
    assertThat(rows(table)).extracting(r -> r.get(4)).containsExactly("first-later", "second-newer", "third");
    assertThat(fixture.query("SELECT batch_id, file_count, rows_staged, rows_loaded FROM "
        + TableConfig.defaultHistoryTable(table).quoted() + " ORDER BY batch_id")).containsExactly(
        List.of("01JD3X9Q8R2V4W6Y8Z0A1B2C3D", "2", "4", "3"),
        List.of("01JD3X9Q8R2V4W6Y8Z0A1B2C3E", "1", "2", "1"));
  }

  @Test
  void sameBatchAgain_changesNothing() {
    TableName table = createOrders("rerun");
    TableConfig config = config(table, List.of());
    String[] files = {file("rerun/a.csv.gz", "1,10.00,2024-11-20 10:00:00,,one\n")};
    assertThat(await(submit(config, "01RERUN", "rerun-1", files)).state()).isEqualTo(StatementState.FINISHED);
    fixture.execute("UPDATE " + table.quoted() + " SET note = 'changed since'");

    String again = submit(config, "01RERUN", "rerun-2", files);

    assertThat(await(again).state()).isEqualTo(StatementState.FINISHED);
    assertThat(rows(table)).extracting(r -> r.get(4)).containsExactly("changed since");
    assertThat(fixture.query("SELECT count(*) FROM \"public\".\"rerun_mbl_history\"")).containsExactly(List.of("1"));
  }

  @Test
  void badRow_failsWithRedshiftsLoadErrorClassifiedAsData() {
    TableName table = createOrders("badrows");
    TableConfig config = config(table, List.of());

    String id = submit(config, "01BAD", "bad-1", file("badrows/good.csv.gz", "1,1.00,2024-11-20 10:00:00,,ok\n"),
        file("badrows/bad.csv.gz", "2,2.00,2024-11-20 10:00:00,,ok\n3,not-a-number,2024-11-20 10:00:00,,bad\n"));
    StatementStatus status = await(id);

    assertThat(status.state()).isEqualTo(StatementState.FAILED);
    assertThat(status.error()).isEqualTo("ERROR: Load into table 'mbl_stage_01bad' failed. Check 'stl_load_errors' "
        + "system table for details.");
    assertThat(ErrorClassifier.classify(status.error())).isEqualTo(ErrorClass.DATA);
    assertThat(rows(table)).isEmpty();
    assertThat(fixture.query("SELECT filename, line_number, colname, err_code FROM stl_load_errors "
        + "WHERE filename LIKE '%badrows%'")).containsExactly(
        List.of("s3://data/badrows/bad.csv.gz", "3", "amount", "1207"));
    assertThat(fixture.eventOf(id).path("detail").path("state").asText()).isEqualTo("FAILED");
  }

  @Test
  void concurrentBatchesOnOneTable_oneFailsWith1023ClassifiedTransient() {
    TableName table = createOrders("raced");
    TableConfig slow = config(table, List.of("SELECT pg_sleep(1)"));
    assertThat(await(submit(slow, "01SETUP", "race-0", file("raced/0.csv.gz", "1,1.00,2024-11-20 10:00:00,,a\n")))
        .state()).isEqualTo(StatementState.FINISHED);

    String left = submit(slow, "01LEFT", "race-1", file("raced/1.csv.gz", "2,2.00,2024-11-20 10:00:00,,b\n"));
    String right = submit(slow, "01RIGHT", "race-2", file("raced/2.csv.gz", "3,3.00,2024-11-20 10:00:00,,c\n"));
    List<StatementStatus> ends = List.of(await(left), await(right));

    assertThat(ends).extracting(StatementStatus::state)
        .containsExactlyInAnyOrder(StatementState.FINISHED, StatementState.FAILED);
    String error = ends.stream().filter(s -> s.state() == StatementState.FAILED).findFirst().orElseThrow().error();
    assertThat(error).startsWith("ERROR: 1023 DETAIL: Serializable isolation violation on table");
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(rows(table)).hasSize(2);
  }

  private static TableName createOrders(String name) {
    fixture.execute("CREATE TABLE public." + name + " (id BIGINT NOT NULL ENCODE az64 DISTKEY, amount DECIMAL(10,2), "
        + "updated_at TIMESTAMP SORTKEY, payload SUPER, note VARCHAR(MAX), PRIMARY KEY (id)) DISTSTYLE KEY");
    return TableName.of("public", name);
  }

  private static TableConfig config(TableName table, List<String> postSql) {
    return new TableConfig(ConfigRef.s3("mbl-config", table.table().value() + ".json"), TARGET, table,
        "arn:aws:iam::123456789012:role/mbl-copy", CSV_GZIP, LoadMode.MERGE, List.of(Identifier.of("id")),
        Identifier.of("updated_at"), BatchLimits.DEFAULT, List.of(), postSql, TableConfig.DEFAULT_STATEMENT_PREFIX,
        TableConfig.defaultHistoryTable(table), TableConfig.DEFAULT_MAX_ATTEMPTS);
  }

  /** Uploads a gzipped CSV file with a header; returns its key. */
  private static String file(String key, String rows) {
    fixture.put(key, EmulatorFixture.gzip(HEADER + rows));
    return key;
  }

  private static String submit(TableConfig config, String batchId, String clientToken, String... keys) {
    List<Column> columns = warehouse.describeTable(TARGET, config.table());
    String manifest = fixture.manifest("manifests/" + batchId + "-" + clientToken + ".manifest", keys);
    BatchRequest request = new BatchRequest(config, columns, manifest, batchId, keys.length, Instant.now());
    List<String> sql = BatchSqlBuilder.create().build(request).statements();
    return warehouse.submitBatch(TARGET, sql, name(config, batchId), clientToken);
  }

  private static String name(TableConfig config, String batchId) {
    return new StatementName(config.statementPrefix(), TableKey.of(config), batchId).toString();
  }

  private static StatementStatus await(String id) {
    fixture.await(id);
    return warehouse.describe(id).orElseThrow();
  }

  private static List<List<String>> rows(TableName table) {
    return fixture.query("SELECT id, amount, updated_at, payload::text, note FROM " + table.quoted() + " ORDER BY id");
  }
}
