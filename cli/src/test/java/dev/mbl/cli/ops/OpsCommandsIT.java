package dev.mbl.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.cli.Main;
import dev.mbl.config.ConfigRef;
import dev.mbl.load.TableKey;
import dev.mbl.local.Endpoints;
import dev.mbl.local.LocalStack;
import dev.mbl.settings.SettingNames;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The operator commands end to end on the local stack, through the same code path as against AWS
 * (only endpoint overrides differ). The stack runs no reconcile schedule, so a stuck lock stays
 * stuck until {@code mbl reconcile}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsCommandsIT {
  private static final String ROLE = "arn:aws:iam::123456789012:role/redshift-copy";
  private static final String LANDING = "ops-landing";
  private LocalStack stack;
  private DynamoDbTracker tracker;
  private Path folder;

  record Run(int code, String out, String err) {}

  @BeforeAll
  void start() throws Exception {
    folder = Files.createTempDirectory("mbl-ops-");
    stack = LocalStack.builder().s3Directory(folder.resolve("s3")).out(new java.io.PrintStream(
            Files.newOutputStream(Path.of(System.getProperty("java.io.tmpdir"), "mbl-ops-it.log")), true)).reconcileEvery(Duration.ZERO)
        .queues(Duration.ofSeconds(5), 2).batch(10, Duration.ofMillis(200)).pollWait(Duration.ofSeconds(1))
        .setting(SettingNames.CACHE_SECONDS, "1").setting(SettingNames.SETUP_PAUSE_SECONDS, "1")
        .setting(SettingNames.CHECK_RUNNING_SECONDS, "2").start();
    tracker = new DynamoDbTracker(stack.dynamo(), stack.settings().trackerTable(), Duration.ofDays(30));
    sql("CREATE TABLE public.orders (id int8 NOT NULL, amount int8)");
    stack.addTable("orders-queue", config("public.orders", "FORMAT AS CSV", "").getBytes(StandardCharsets.UTF_8),
        LANDING, "orders/");
  }

  @AfterAll
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    dev.mbl.cli.FoldersAccess.delete(folder);
  }

  private void sql(String statement) {
    var id = stack.redshiftData().executeStatement(e -> e.clusterIdentifier("analytics").database("dev")
        .sql(statement)).id();
    await("DDL " + statement, () -> stack.redshiftData().describeStatement(d -> d.id(id)).statusAsString()
        .equals("FINISHED"));
  }

  private static String config(String table, String copyOptions, String options) {
    return "{\"copy\":{\"options\":\"" + copyOptions + "\",\"role_arn\":\"" + ROLE + "\",\"table_name\":\"" + table
        + "\"},\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"},\"options\":{\"merge_duplicate_pks\":"
        + "false" + options + "}}";
  }

  /** Runs {@code mbl <args> --local} with the stand-ins' endpoints, as a user would from a shell. */
  private Run mbl(String... args) {
    Endpoints e = stack.endpoints();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--local", "--region", e.region(), "--s3-endpoint-url", e.s3().toString(),
        "--sqs-endpoint-url", e.sqs().toString(), "--dynamodb-endpoint-url", e.dynamoDb().toString(),
        "--redshift-data-endpoint-url", e.redshiftData().toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private void upload(String bucket, String key, String body) {
    stack.s3().putObject(p -> p.bucket(bucket).key(key), RequestBody.fromString(body));
  }

  private LedgerEntry entry(TableKey table, String key) {
    return tracker.ledgerEntries(table).stream().filter(x -> x.key().equals(key)).findFirst().orElse(null);
  }

  private static void await(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting until " + what).isBefore(deadline);
      dev.mbl.cli.FoldersAccess.pause(Duration.ofMillis(100));
    }
  }

  private static final TableKey ORDERS = TableKey.parse("analytics/dev/public.orders");

  @Test
  void quarantinedFile_statusCritical_fileShowsWhy_retryAfterFixLoadsOnce_statusOk() throws Exception {
    upload(LANDING, "orders/with-header.csv", "id,amount\n1,10\n2,20\n");
    await("quarantined", () -> entry(ORDERS, "orders/with-header.csv") != null
        && entry(ORDERS, "orders/with-header.csv").state() == FileState.QUARANTINED);

    Run status = mbl("status");
    assertThat(status.code()).as(status.err()).isEqualTo(2);
    assertThat(status.out()).contains("analytics/dev/public.orders", "CRITICAL", "1 file(s) quarantined",
        "mbl retry public.orders --all-quarantined");

    Run file = mbl("file", "s3://" + LANDING + "/orders/with-header.csv");
    assertThat(file.code()).as(file.err()).isZero();
    assertThat(file.out()).contains("QUARANTINED", "reason", "failing rows (SYS_LOAD_ERROR_DETAIL)", "Invalid digit");

    Run files = mbl("files", "orders", "--state", "QUARANTINED", "--output", "json");
    assertThat(files.out()).contains("\"state\" : \"QUARANTINED\"", "with-header.csv");

    stack.putConfig("config/orders-queue.json",
        config("public.orders", "FORMAT AS CSV IGNOREHEADER 1", "").getBytes(StandardCharsets.UTF_8));
    dev.mbl.cli.FoldersAccess.pause(Duration.ofMillis(1100)); // the CLI's own config cache is new; the functions' 1 s
    Run retry = mbl("retry", "orders", "--all-quarantined", "--wait", "PT1M");
    assertThat(retry.code()).as(retry.out() + retry.err()).isZero();
    assertThat(retry.out()).contains("re-driven  s3://" + LANDING + "/orders/with-header.csv", "1/1 settled");
    assertThat(entry(ORDERS, "orders/with-header.csv").state()).isEqualTo(FileState.LOADED);

    Run again = mbl("retry", "orders", "s3://" + LANDING + "/orders/with-header.csv");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("not quarantined");

    Run after = mbl("status", "public.orders", "--output", "json");
    assertThat(after.out()).contains("\"health\" : \"OK\"");
    assertThat(after.code()).isZero();
    assertThat(rows("SELECT count(*) FROM public.orders WHERE id IN (1, 2)")).isEqualTo(2);
  }

  private long rows(String query) throws Exception {
    try (var c = stack.postgres().orElseThrow().dataSource().getConnection(); var s = c.createStatement();
        var r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void stuckLock_statusCritical_reconcileRepairs() {
    tracker.register(ORDERS, ConfigRef.s3(stack.settings().configBucket(), "config/orders-queue.json"), Instant.now());
    long past = Instant.now().minus(Duration.ofMinutes(5)).toEpochMilli();
    stack.dynamo().putItem(p -> p.tableName(stack.settings().trackerTable()).item(Map.of(
        "pk", AttributeValue.fromS(ORDERS.toString()), "sk", AttributeValue.fromS("LOCK"),
        "batch_id", AttributeValue.fromS("01STUCK0000000000000000000"), "phase", AttributeValue.fromS("CLAIMING"),
        "lease_until", AttributeValue.fromN(Long.toString(past)), "checked_at", AttributeValue.fromN(Long.toString(past)))));

    Run stuck = mbl("status", "orders");
    assertThat(stuck.code()).isEqualTo(2);
    assertThat(stuck.out()).contains("01STUCK0000000000000000000", "past its lease", "mbl reconcile");

    Run reconcile = mbl("reconcile");
    assertThat(reconcile.code()).as(reconcile.err()).isZero();
    assertThat(reconcile.out()).contains("rolled-back");
    assertThat(tracker.lock(ORDERS)).isEmpty();
    assertThat(mbl("status", "orders").out()).doesNotContain("past its lease");
  }

  @Test
  void staleTable_turnsWarn_withExpectation() {
    TableKey stale = TableKey.parse("analytics/dev/public.stale");
    String key = "config/stale-queue.json";
    stack.putConfig(key, config("public.stale", "FORMAT AS CSV", ",\"expect_new_data_within\":\"PT5M\"")
        .getBytes(StandardCharsets.UTF_8));
    tracker.register(stale, ConfigRef.s3(stack.settings().configBucket(), key), Instant.now());
    long hourAgo = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
    stack.dynamo().putItem(p -> p.tableName(stack.settings().trackerTable()).item(Map.of(
        "pk", AttributeValue.fromS(stale.toString()), "sk", AttributeValue.fromS("BATCH#01OLD00000000000000000000"),
        "state", AttributeValue.fromS("LOADED"), "cfg", AttributeValue.fromS("s3://x/" + key),
        "created_at", AttributeValue.fromN(Long.toString(hourAgo)),
        "finished_at", AttributeValue.fromN(Long.toString(hourAgo)), "work_keys", AttributeValue.fromL(List.of()))));

    Run status = mbl("status", "public.stale");
    assertThat(status.code()).as(status.err()).isEqualTo(1);
    assertThat(status.out()).contains("WARN", "no file loaded for 1h, expected within 5m");
  }

  @Test
  void deadLetter_statusCritical_dlqShowsAndRedrives_fileLoads() {
    upload(LANDING, "elsewhere/dead.csv", "7,70\n"); // the object exists; its event waits in the DLQ
    String eTag = stack.s3().headObject(h -> h.bucket(LANDING).key("elsewhere/dead.csv")).eTag().replace("\"", "");
    String body = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
        + "{\"name\":\"" + LANDING + "\"},\"object\":{\"key\":\"elsewhere/dead.csv\",\"size\":5,\"eTag\":\"" + eTag
        + "\"}}}]}";
    String dlq = stack.sqs().getQueueUrl(g -> g.queueName("orders-queue-dlq")).queueUrl();
    stack.sqs().sendMessage(s -> s.queueUrl(dlq).messageBody(body));

    Run status = mbl("status", "orders");
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.out()).contains("1 message(s) in the table queue's dead-letter queue");
    Run show = mbl("dlq", "orders");
    assertThat(show.code()).isEqualTo(1);
    assertThat(show.out()).contains("1 dead letter(s)", "elsewhere/dead.csv");
    dev.mbl.cli.FoldersAccess.pause(Duration.ofMillis(1200)); // dlq shows messages hidden for 1 s

    Run redrive = mbl("dlq", "orders", "--redrive");
    assertThat(redrive.code()).as(redrive.err()).isZero();
    assertThat(redrive.out()).contains("moved 1 message(s)");
    await("re-driven file loads", () -> entry(ORDERS, "elsewhere/dead.csv") != null
        && entry(ORDERS, "elsewhere/dead.csv").state() == FileState.LOADED);
  }

  @Test
  void validate_goodConfigAndSample_passes_badConfigListsEveryProblem() throws Exception {
    upload(LANDING, "samples/good.csv", "5,50\n");
    Path good = folder.resolve("good.json");
    Files.writeString(good, config("public.orders", "FORMAT AS CSV", ""));
    Run ok = mbl("validate", good.toString(), "--sample", "s3://" + LANDING + "/samples/good.csv");
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("config: valid", "table: public.orders exists",
        "sample: loads (COPY ... NOLOAD checked every row");
    assertThat(rows("SELECT count(*) FROM public.orders WHERE id = 5")).isZero();

    upload(LANDING, "samples/bad.csv", "6,not-a-number\n");
    Run badSample = mbl("validate", good.toString(), "--sample", "s3://" + LANDING + "/samples/bad.csv");
    assertThat(badSample.code()).isEqualTo(1);
    assertThat(badSample.out()).contains("sample: does not load", "failing rows (SYS_LOAD_ERROR_DETAIL)");
    Run again = mbl("validate", good.toString(), "--sample", "s3://" + LANDING + "/samples/bad.csv");
    assertThat(again.out().split("Invalid digit", -1)).as("only this run's failing row").hasSize(2);

    Path bad = folder.resolve("bad.json");
    Files.writeString(bad, config("public.orders", "FORMAT AS CSV", ",\"max_attempts\":0,"
        + "\"expect_new_data_within\":\"6h\""));
    Run invalid = mbl("validate", bad.toString());
    assertThat(invalid.code()).isEqualTo(1);
    assertThat(invalid.out()).contains("$.options.max_attempts", "$.options.expect_new_data_within");

    Path missing = folder.resolve("missing.json");
    Files.writeString(missing, config("public.nosuch", "FORMAT AS CSV", ""));
    assertThat(mbl("validate", missing.toString()).out()).contains("does not exist");
  }

  @Test
  void bulk_dryRunListsThenLoads() {
    tracker.register(ORDERS, ConfigRef.s3(stack.settings().configBucket(), "config/orders-queue.json"), Instant.now());
    stack.s3().createBucket(c -> c.bucket("ops-archive"));
    upload("ops-archive", "2026/11/a.csv", "100,1\n");
    upload("ops-archive", "2026/11/b.csv", "101,1\n");
    Run dry = mbl("bulk", "--table", "orders", "--prefix", "s3://ops-archive/2026/", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would load  s3://ops-archive/2026/11/a.csv", "2 file(s) would load");
    assertThat(entry(ORDERS, "2026/11/a.csv")).isNull();

    Run bulk = mbl("bulk", "--table", "orders", "--prefix", "s3://ops-archive/2026/", "--wait", "PT1M");
    assertThat(bulk.code()).as(bulk.out() + bulk.err()).isZero();
    assertThat(bulk.out()).contains("s3://ops-archive/2026/", "progress: analytics/dev/public.orders",
        "done: every file loaded");
    assertThat(entry(ORDERS, "2026/11/a.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(entry(ORDERS, "2026/11/b.csv").state()).isEqualTo(FileState.LOADED);

    Run again = mbl("bulk", "--table", "orders", "--prefix", "s3://ops-archive/2026/", "--dry-run");
    assertThat(again.out()).contains("skip        s3://ops-archive/2026/11/a.csv (LOADED)", "0 file(s) would load");
  }

  @Test
  void bulk_seedPathListInput_loadsThroughTheSameProtocol() throws Exception {
    sql("CREATE TABLE public.seeded (id int8 NOT NULL, amount int8)");
    stack.s3().createBucket(c -> c.bucket("ops-seed"));
    upload("ops-seed", "2026/11/21/a.csv", "1,10\n2,20\n");
    upload("ops-seed", "2026/11/21/b.csv", "3,30\n");
    Path input = folder.resolve("bulk-seed.json");
    Files.writeString(input, "{\"paths\":[{\"s3_path\":\"s3://ops-seed/2026/11/21/\",\"table\":\"public.seeded\","
        + "\"options\":\"FORMAT AS CSV\"}],\"copy\":{\"role_arn\":\"" + ROLE + "\"},"
        + "\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"},\"options\":{\"merge_duplicate_pks\":false}}");

    Run bulk = mbl("bulk", input.toString(), "--wait", "PT1M");
    assertThat(bulk.code()).as(bulk.out() + bulk.err()).isZero();
    assertThat(bulk.out()).contains("analytics/dev/public.seeded", "s3://ops-seed/2026/11/21/", "done: every file loaded");
    assertThat(rows("SELECT count(*) FROM public.seeded")).isEqualTo(3);

    Run status = mbl("status", "seeded");
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("analytics/dev/public.seeded", "OK");
  }

  @Test
  void everyCommand_hasHelp_andUnknownTableIsUsageError() {
    for (String command : List.of("status", "files", "file", "retry", "ack", "dlq", "bulk", "validate", "reconcile")) {
      Run help = mbl(command, "--help");
      assertThat(help.code()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Usage: mbl " + command, "--output", "--profile", "--region");
    }
    Run unknown = mbl("status", "nosuchtable");
    assertThat(unknown.code()).isEqualTo(252);
    assertThat(unknown.err()).contains("no table 'nosuchtable' is registered");
    assertThat(mbl("files").code()).isEqualTo(252);
  }

  @Test
  void ack_quarantinedFile_healthBackToOk() {
    TableKey acked = TableKey.parse("analytics/dev/public.acked");
    sql("CREATE TABLE public.acked (id int8 NOT NULL)");
    stack.addTable("acked-queue", config("public.acked", "FORMAT AS CSV", "").getBytes(StandardCharsets.UTF_8),
        LANDING, "acked/");
    upload(LANDING, "acked/bad.csv", "not-a-number\n");
    await("quarantined", () -> entry(acked, "acked/bad.csv") != null
        && entry(acked, "acked/bad.csv").state() == FileState.QUARANTINED);
    assertThat(mbl("status", "acked").code()).isEqualTo(2);
    Run ack = mbl("ack", "acked");
    assertThat(ack.code()).as(ack.err()).isZero();
    assertThat(ack.out()).contains("health now OK");
    assertThat(mbl("status", "acked").code()).isZero();
  }
}
