package dev.mbl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mbl.load.TableKey;
import dev.mbl.local.LocalStack;
import dev.mbl.local.LocalTables;
import dev.mbl.settings.SettingNames;
import dev.mbl.tables.TablesFile;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Issue 10 end to end: a stack started as {@code mbl local up --tables} starts it (same builder,
 * same settings), from a tables file whose table is not a sample, with its DDL; an edited config
 * is used for the next file within seconds; the runbook's BulkLoader re-drive works through
 * {@code aws lambda invoke} on the edge endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalTablesIT {
  private static final TableKey TRIPS = TableKey.parse("analytics/dev/public.trips");
  private static final TableKey RIDES = TableKey.parse("analytics/dev/public.rides");
  private static final String CONFIG = "{\"copy\": {\"options\": \"FORMAT AS CSV IGNOREHEADER 1\", "
      + "\"role_arn\": \"arn:aws:iam::123456789012:role/redshift-copy\", \"table_name\": \"public.trips\"}, "
      + "\"cluster\": {\"identifier\": \"analytics\", \"db_name\": \"dev\"}, "
      + "\"options\": {\"merge_duplicate_pks\": false}}";

  private Path folder;
  private LocalStack stack;
  private DynamoDbTracker tracker;

  @BeforeAll
  void start() throws IOException {
    folder = Files.createTempDirectory("mbl-tables-it-");
    Files.writeString(folder.resolve("trips.sql"), "CREATE TABLE public.trips (trip_id BIGINT NOT NULL, "
        + "city VARCHAR(32), km DECIMAL(8,2));\n");
    Files.writeString(folder.resolve("tables.json"), "{\"tables\": [{\"name\": \"trips\", \"landing\": "
        + "{\"bucket\": \"create\", \"prefix\": \"trips/\", \"suffix\": \".csv\"}, \"config\": " + CONFIG
        + ", \"ddl_file\": \"trips.sql\"}, {\"name\": \"rides\", \"landing\": {\"bucket\": \"create\", "
        + "\"prefix\": \"rides/\"}, \"config\": " + CONFIG.replace("public.trips", "public.rides")
        + ", \"ddl\": \"CREATE TABLE public.rides (ride_id BIGINT NOT NULL, city VARCHAR(32))\"}]}");
    // As `local up` passes its environment: MBL_* variables reach the handlers, others do not.
    stack = LocalUpCommand.builder(Map.of(SettingNames.CHECK_RUNNING_SECONDS, "2", SettingNames.CACHE_SECONDS, "1",
            "HOME", "/nowhere"), 0, 0)
        .out(new PrintStream(new ByteArrayOutputStream(), true)).reconcileEvery(Duration.ofSeconds(1)).start();
    LocalTables.addAll(stack, TablesFile.readLocal(folder.resolve("tables.json")));
    tracker = new DynamoDbTracker(stack.dynamo(), stack.settings().trackerTable(), Duration.ofDays(30));
  }

  @AfterAll
  void stop() {
    stack.close();
    Folders.delete(folder);
  }

  @Test
  void tablesFile_nonSampleTableWithDdl_fileUnderItsPrefixLoadsItsRows() throws Exception {
    assertThat(stack.settings().cacheTtl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(stack.settings().timings().checkRunningAfter()).isEqualTo(Duration.ofSeconds(2));
    String key = put("trips/a.csv", "trip_id,city,km\n1,Oslo,12.50\n2,Bergen,3.00\n");

    assertThat(awaitSettled(key).state()).isEqualTo(FileState.LOADED);
    assertThat(trips("trip_id <= 2")).containsExactly("1|Oslo|12.50", "2|Bergen|3.00");
  }

  @Test
  void editedConfig_nextFile_loadsWithTheNewConfigWithinSeconds() throws Exception {
    stack.putConfig(stack.table("trips").orElseThrow().configKey(),
        CONFIG.replace("FORMAT AS CSV IGNOREHEADER 1", "FORMAT AS CSV DELIMITER '|' IGNOREHEADER 1")
            .getBytes(StandardCharsets.UTF_8));
    // Files sent until one loads with the new delimiter: each loads or is quarantined (old config) in turn.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    int attempt = 0;
    LedgerEntry entry;
    do {
      assertThat(Instant.now()).as("a pipe-delimited file loads after the config edit").isBefore(deadline);
      attempt++;
      entry = awaitSettled(put("trips/piped-" + attempt + ".csv", "trip_id|city|km\n" + (100 + attempt)
          + "|Tromsø|7.25\n"));
    } while (entry.state() != FileState.LOADED);

    assertThat(trips("trip_id = " + (100 + attempt))).containsExactly((100 + attempt) + "|Tromsø|7.25");
  }

  /** docs/operations.md, "Re-driving quarantined files": fix the cause, then the same command on the edge. */
  @Test
  void awsCliLambdaInvoke_bulkLoaderForce_reDrivesAQuarantinedFile() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/aws")), "Debian's awscli is not installed at /usr/bin/aws");
    String key = put("rides/with-km.csv", "ride_id,city,km\n7,Oslo,1.00\n");
    assertThat(awaitSettled(RIDES, key).state()).isEqualTo(FileState.QUARANTINED);
    SampleTables.execute(stack.redshiftData(), "ALTER TABLE public.rides ADD COLUMN km DECIMAL(8,2)");
    Path redrive = folder.resolve("redrive.json");
    Files.writeString(redrive, "{\"tables\": [{\"config\": \"rides\", \"prefix\": \"s3://"
        + LocalTables.LANDING_BUCKET + "/" + key + "\"}], \"force\": true}");
    Path out = folder.resolve("redrive-out.json");

    String printed = aws("lambda", "invoke", "--function-name", "BulkLoader", "--cli-binary-format",
        "raw-in-base64-out", "--cli-read-timeout", "900", "--payload", "file://" + redrive, out.toString());

    assertThat(printed).contains("\"StatusCode\": 200").doesNotContain("FunctionError");
    assertThat(Files.readString(out)).contains("enqueued");
    await("the re-driven file loads", () -> entry(RIDES, key) != null
        && entry(RIDES, key).state() == FileState.LOADED);
    assertThat(rows("SELECT ride_id, city, km FROM public.rides")).containsExactly("7|Oslo|1.00");
  }

  @Test
  void addTables_newEntryInTheRunningStacksFile_wiredOnceAndItsFilesLoad() throws Exception {
    Path file = folder.resolve("more-tables.json");
    Files.writeString(file, Files.readString(folder.resolve("tables.json")).replace("]}", ", {\"name\": \"legs\", "
        + "\"landing\": {\"bucket\": \"create\", \"prefix\": \"legs/\"}, \"config\": "
        + CONFIG.replace("public.trips", "public.legs") + ", \"ddl\": \"CREATE TABLE public.legs "
        + "(trip_id BIGINT NOT NULL, city VARCHAR(32), km DECIMAL(8,2))\"}]}"));
    try (LocalControl control = LocalControl.start(stack)) {
      assertThat(control.addTables(file, Set.of())).containsExactly("legs <- s3://mbl-landing/legs/");
      assertThat(control.addTables(file, Set.of())).isEmpty();
      assertThatThrownBy(() -> control.addTables(file, Set.of("nope"))).hasMessageContaining("no table named");
    }
    String key = put("legs/a.csv", "trip_id,city,km\n5,Narvik,2.00\n");

    assertThat(awaitSettled(TableKey.parse("analytics/dev/public.legs"), key).state()).isEqualTo(FileState.LOADED);
    assertThat(rows("SELECT trip_id, city, km FROM public.legs")).containsExactly("5|Narvik|2.00");
  }

  private String put(String key, String body) {
    stack.s3().putObject(p -> p.bucket(LocalTables.LANDING_BUCKET).key(key), RequestBody.fromString(body));
    return key;
  }

  private LedgerEntry awaitSettled(String key) {
    return awaitSettled(TRIPS, key);
  }

  private LedgerEntry awaitSettled(TableKey table, String key) {
    await("file " + key + " settles", () -> entry(table, key) != null && entry(table, key).state().terminal());
    return entry(table, key);
  }

  private LedgerEntry entry(TableKey table, String key) {
    return tracker.ledgerEntries(table).stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting until " + what).isBefore(deadline);
      Waits.pause(Duration.ofMillis(100));
    }
  }

  private List<String> trips(String where) throws SQLException {
    return rows("SELECT trip_id, city, km FROM public.trips WHERE " + where + " ORDER BY trip_id");
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        var statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.add(result.getLong(1) + "|" + result.getString(2) + "|" + result.getBigDecimal(3).toPlainString());
      }
    }
    return rows;
  }

  private String aws(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url",
        stack.endpoints().edge().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local-secret",
        "AWS_DEFAULT_REGION", "us-east-1", "AWS_PAGER", ""));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("aws " + String.join(" ", args) + " ends").isTrue();
    assertThat(process.exitValue()).as("aws " + String.join(" ", args) + ": " + output).isZero();
    return output;
  }
}
