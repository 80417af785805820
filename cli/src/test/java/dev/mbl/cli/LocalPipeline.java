package dev.mbl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.load.TableKey;
import dev.mbl.local.LocalStack;
import dev.mbl.local.redshift.DataApiEmulator;
import dev.mbl.settings.SettingNames;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.LedgerEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * The local stack with short clocks for end-to-end tests of one table at a time: creates a target
 * table through the Data API and wires its queue and config, uploads files, waits for outcomes,
 * and reads rows, ledger entries, batch records, Data API statements and the handlers' log.
 */
final class LocalPipeline implements AutoCloseable {
  static final String CLUSTER = "analytics";
  static final String DATABASE = "dev";
  static final String ROLE = "arn:aws:iam::123456789012:role/redshift-copy";

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final Path s3Folder;
  private final LocalStack stack;
  private final DynamoDbTracker tracker;

  LocalPipeline() throws IOException {
    s3Folder = Files.createTempDirectory("mbl-pipeline-s3-");
    stack = LocalStack.builder().s3Directory(s3Folder).out(new PrintStream(log, true, StandardCharsets.UTF_8))
        .reconcileEvery(Duration.ofSeconds(1))
        .queues(Duration.ofSeconds(5), 20).batch(10, Duration.ofMillis(200)).pollWait(Duration.ofSeconds(1))
        .setting(SettingNames.CHECK_RUNNING_SECONDS, "2").setting(SettingNames.SETUP_PAUSE_SECONDS, "1")
        .setting(SettingNames.RETRY_BASE_SECONDS, "1").setting(SettingNames.CACHE_SECONDS, "1").start();
    tracker = new DynamoDbTracker(stack.dynamo(), stack.settings().trackerTable(), Duration.ofDays(30));
  }

  LocalStack stack() {
    return stack;
  }

  DataApiEmulator emulator() {
    return stack.dataApiEmulator().orElseThrow();
  }

  DynamoDbTracker tracker() {
    return tracker;
  }

  /** Creates the target table with {@code ddl} and feeds it from {@code s3://bucket/prefix} with {@code config}. */
  TableKey table(String queue, String ddl, String config, String bucket, String prefix) {
    SampleTables.execute(stack.redshiftData(), ddl);
    stack.addTable(queue, config.getBytes(StandardCharsets.UTF_8), bucket, prefix);
    String table = config.replaceAll("(?s).*\"table_name\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    return TableKey.parse(CLUSTER + "/" + DATABASE + "/" + table);
  }

  /** A config for {@code table} in the seed's format, with {@code options} as COPY options and extra JSON. */
  static String config(String table, String copyOptions, String copyExtra, String options) {
    return "{\"copy\":{\"options\":\"" + copyOptions + "\",\"role_arn\":\"" + ROLE + "\",\"table_name\":\"" + table
        + "\"" + copyExtra + "},\"cluster\":{\"identifier\":\"" + CLUSTER + "\",\"db_name\":\"" + DATABASE + "\"},"
        + "\"options\":{" + options + "}}";
  }

  void upload(String bucket, String key, byte[] body) {
    stack.s3().putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(body));
  }

  void upload(String bucket, String key, String body) {
    upload(bucket, key, body.getBytes(StandardCharsets.UTF_8));
  }

  LedgerEntry entry(TableKey table, String key) {
    return tracker.ledgerEntries(table).stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
  }

  LedgerEntry awaitSettled(TableKey table, String key) {
    await("s3 object " + key + " settles", () -> entry(table, key) != null && entry(table, key).state().terminal());
    return entry(table, key);
  }

  List<BatchRecord> batches(TableKey table) {
    return tracker.batches(table);
  }

  /** Every Data API statement whose name starts with mbl's prefix and ends with {@code suffix}. */
  List<StatementData> statements(String suffix) {
    List<StatementData> found = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = stack.redshiftData().listStatements(l -> l.statementName("mbl/").status(StatusString.ALL)
          .nextToken(next).maxResults(100));
      page.statements().stream().filter(s -> s.statementName() != null && s.statementName().endsWith(suffix))
          .forEach(found::add);
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return found;
  }

  /** Rows of a query on the warehouse, each as its columns joined by '|'. */
  List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        var statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(String.valueOf(result.getObject(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }

  /** What the handlers logged so far (one JSON object a line). */
  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting until " + what).isBefore(deadline);
      Waits.pause(Duration.ofMillis(100));
    }
  }

  @Override
  public void close() throws IOException {
    stack.close();
    Folders.delete(s3Folder);
  }
}
