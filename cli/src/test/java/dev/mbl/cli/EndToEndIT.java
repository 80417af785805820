package dev.mbl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mbl.load.TableKey;
import dev.mbl.local.LocalStack;
import dev.mbl.settings.SettingNames;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The whole pipeline over the local stack: S3 notifications, SQS pollers, the three real
 * handlers, DynamoDB Local, the Data API emulator on PostgreSQL and the event bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {
  private static final TableKey ORDERS = TableKey.parse("analytics/dev/public.orders");
  private static final String HEADER = "order_id,customer,amount,status,updated_at\n";

  private LocalStack stack;
  private DynamoDbTracker tracker;
  private Path s3Folder;
  private int files;

  @BeforeAll
  void startStack() throws IOException {
    s3Folder = Files.createTempDirectory("mbl-e2e-s3-");
    stack = LocalStack.builder().s3Directory(s3Folder).out(new PrintStream(new ByteArrayOutputStream(), true))
        .reconcileEvery(Duration.ofSeconds(1)).batch(10, Duration.ofMillis(200)).pollWait(Duration.ofSeconds(1))
        .setting(SettingNames.CHECK_RUNNING_SECONDS, "2").setting(SettingNames.SETUP_PAUSE_SECONDS, "1")
        .setting(SettingNames.CACHE_SECONDS, "1").start();
    SampleTables.install(stack, SampleTables.samplesFolder());
    tracker = new DynamoDbTracker(stack.dynamo(), stack.settings().trackerTable(), Duration.ofDays(30));
  }

  @AfterAll
  void stopStack() throws IOException {
    stack.close();
    Folders.delete(s3Folder);
  }

  private String upload(String csv) {
    String key = "orders/e2e/file-" + (++files) + ".csv";
    stack.s3().putObject(p -> p.bucket(SampleTables.LANDING).key(key), RequestBody.fromString(csv));
    return key;
  }

  private LedgerEntry awaitSettled(String key) {
    await("file " + key + " settles", () -> entry(key) != null && entry(key).state().terminal());
    return entry(key);
  }

  private LedgerEntry entry(String key) {
    return tracker.ledgerEntries(ORDERS).stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting until " + what).isBefore(deadline);
      Waits.pause(Duration.ofMillis(100));
    }
  }

  private List<String> orders(String where) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        var statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT order_id, customer, amount, status FROM public.orders "
            + "WHERE " + where + " ORDER BY order_id")) {
      while (result.next()) {
        rows.add(result.getLong(1) + "|" + result.getString(2) + "|" + result.getBigDecimal(3).toPlainString() + "|"
            + result.getString(4));
      }
    }
    return rows;
  }

  @Test
  void upload_updatesAcrossFiles_mergeKeepsTheLatestRowPerKey() throws Exception {
    String first = upload(HEADER + "9001,ada,10.00,placed,2026-11-21 10:00:00\n"
        + "9002,bob,20.00,placed,2026-11-21 10:00:00\n");
    awaitSettled(first);
    String second = upload(HEADER + "9001,ada,11.00,paid,2026-11-21 10:05:00\n"
        + "9002,bob,99.00,stale,2026-11-21 09:00:00\n9002,bob,21.00,paid,2026-11-21 10:06:00\n");

    assertThat(awaitSettled(second).state()).isEqualTo(FileState.LOADED);
    assertThat(orders("order_id IN (9001, 9002)")).containsExactly("9001|ada|11.00|paid", "9002|bob|21.00|paid");
  }

  @Test
  void upload_sameObjectNotifiedTwiceIntoAppendTable_rowsLoadedOnce() throws Exception {
    TableKey clicks = TableKey.parse("analytics/dev/public.clicks");
    String key = "clicks/e2e/twice.json";
    String body = "{\"click_id\":\"e2e-1\",\"user_id\":1,\"url\":\"/a\",\"clicked_at\":\"2026-11-21 10:00:00\"}\n"
        + "{\"click_id\":\"e2e-2\",\"user_id\":2,\"url\":\"/b\",\"clicked_at\":\"2026-11-21 10:00:01\"}\n";
    // clicks-append.json expects gzip.
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
      gzip.write(body.getBytes(StandardCharsets.UTF_8));
    }
    String queueUrl = stack.table("clicks").orElseThrow().queue().url();

    for (int i = 0; i < 2; i++) { // the same bytes twice: two S3 notifications for one object version
      stack.s3().putObject(p -> p.bucket(SampleTables.LANDING).key(key), RequestBody.fromBytes(zipped.toByteArray()));
    }
    await("both notifications are consumed and the file settles", () -> queueEmpty(queueUrl)
        && tracker.ledgerEntries(clicks).stream().anyMatch(e -> e.key().equals(key) && e.state().terminal())
        && tracker.lock(clicks).isEmpty());

    assertThat(tracker.ledgerEntries(clicks)).filteredOn(e -> e.key().equals(key)).singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(FileState.LOADED));
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        var statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM public.clicks WHERE click_id LIKE 'e2e-%'")) {
      rows.next();
      assertThat(rows.getInt(1)).as("appended rows of a file notified twice").isEqualTo(2);
    }
  }

  private boolean queueEmpty(String queueUrl) {
    var attributes = stack.sqs().getQueueAttributes(g -> g.queueUrl(queueUrl).attributeNamesWithStrings(
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
    return "0".equals(attributes.get("ApproximateNumberOfMessages"))
        && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
  }

  @Test
  void upload_badFile_quarantinedWithRedshiftsReasonWhileGoodFileLoads() throws Exception {
    String bad = upload(HEADER + "9101,eve,not-a-number,paid,2026-11-21 10:00:00\n");
    String good = upload(HEADER + "9102,fay,5.00,paid,2026-11-21 10:00:00\n");

    LedgerEntry quarantined = awaitSettled(bad);
    assertThat(quarantined.state()).isEqualTo(FileState.QUARANTINED);
    assertThat(quarantined.reason()).contains("into public.orders").contains("Failing rows: SELECT");
    // The reason's query, run as an operator would, shows the bad value.
    // It reads sys_load_error_detail, so it works on a provisioned cluster and on Serverless alike
    // ("System monitoring (provisioned only)": Serverless cannot read STL views).
    String query = quarantined.reason().substring(quarantined.reason().indexOf("Failing rows: ") + 14);
    for (boolean serverless : new boolean[] {false, true}) {
      String id = stack.redshiftData().executeStatement(x -> (serverless ? x.workgroupName("analytics")
          : x.clusterIdentifier("analytics")).database("dev").sql(query)).id();
      await("the load-error query finishes", () -> "FINISHED".equals(
          stack.redshiftData().describeStatement(d -> d.id(id)).statusAsString()));
      var records = stack.redshiftData().getStatementResult(r -> r.id(id)).records();
      assertThat(records).as("serverless: %s", serverless).isNotEmpty();
      assertThat(records.get(0).get(4).stringValue()).contains("Value 'n");
    }
    assertThat(awaitSettled(good).state()).isEqualTo(FileState.LOADED);
    assertThat(orders("order_id IN (9101, 9102)")).containsExactly("9102|fay|5.00|paid");
  }

  @Test
  void upload_statementFailsOnSetupError_filesHeldThenLoadOnceFixed() throws Exception {
    // A history table of the wrong shape makes the batch's history insert fail: a setup error.
    SampleTables.execute(stack.redshiftData(), "CREATE TABLE public.orders_mbl_history (batch_id VARCHAR(64))");
    String key = upload(HEADER + "9201,gus,7.00,paid,2026-11-21 10:00:00\n");
    await("the failed batch holds the file back", () -> entry(key) != null
        && entry(key).state() == FileState.PENDING
        && tracker.work(ORDERS).stream().anyMatch(w -> w.key().equals(key) && w.notBeforeMillis() > 0));
    assertThat(orders("order_id = 9201")).as("nothing of the failed batch committed").isEmpty();

    SampleTables.execute(stack.redshiftData(), "DROP TABLE public.orders_mbl_history");

    assertThat(awaitSettled(key).state()).isEqualTo(FileState.LOADED);
    assertThat(orders("order_id = 9201")).containsExactly("9201|gus|7.00|paid");
  }

  @Test
  void upload_completionEventLost_reconcilerSettlesTheBatch() throws Exception {
    stack.events().dropMatching(true);
    try {
      String key = upload(HEADER + "9301,hal,8.00,paid,2026-11-21 10:00:00\n");

      assertThat(awaitSettled(key).state()).isEqualTo(FileState.LOADED);
      assertThat(orders("order_id = 9301")).containsExactly("9301|hal|8.00|paid");
    } finally {
      stack.events().dropMatching(false);
    }
  }

  @Test
  void awsCli_copyFileInAndQueryRowsThroughDataApi() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/aws")), "Debian's awscli is not installed at /usr/bin/aws");
    Path csv = Files.createTempFile("mbl-cli-", ".csv");
    Files.writeString(csv, HEADER + "9401,ida,9.00,paid,2026-11-21 10:00:00\n");
    String key = "orders/e2e/from-cli.csv";

    run("s3", "cp", csv.toString(), "s3://" + SampleTables.LANDING + "/" + key, "--endpoint-url",
        stack.endpoints().s3().toString());
    awaitSettled(key);
    String id = run("redshift-data", "execute-statement", "--cluster-identifier", "analytics", "--database", "dev",
        "--sql", "SELECT customer FROM public.orders WHERE order_id = 9401", "--endpoint-url",
        stack.endpoints().redshiftData().toString(), "--query", "Id", "--output", "text").trim();
    await("the CLI's statement finishes", () -> run("redshift-data", "describe-statement", "--id", id,
        "--endpoint-url", stack.endpoints().redshiftData().toString(), "--query", "Status", "--output", "text")
        .trim().equals("FINISHED"));
    String result = run("redshift-data", "get-statement-result", "--id", id, "--endpoint-url",
        stack.endpoints().redshiftData().toString(), "--query", "Records[0][0].stringValue", "--output", "text");

    assertThat(result.trim()).isEqualTo("ida");
    Files.delete(csv);
  }

  private String run(String... args) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/aws"));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("AWS_ACCESS_KEY_ID", "local");
      builder.environment().put("AWS_SECRET_ACCESS_KEY", "local-secret");
      builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
      builder.environment().put("AWS_PAGER", "");
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("aws " + String.join(" ", args) + " ends").isTrue();
      assertThat(process.exitValue()).as("aws " + String.join(" ", args) + ": " + output).isZero();
      return output;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void demo_smallRun_exitsZeroAndPrintsTheChecks() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      code = new CommandLine(new Main()).execute("demo", "--bursts", "2", "--files", "4",
          "--log", "target/demo-it.log");
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);

    assertThat(code).as(printed).isZero();
    assertThat(printed).contains("exactly the expected latest rows").contains("quarantined s3://")
        .contains("OK: every file loaded exactly once");
  }
}
