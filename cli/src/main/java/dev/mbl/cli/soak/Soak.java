package dev.mbl.cli.soak;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.local.LocalStack;
import dev.mbl.local.LocalTable;
import dev.mbl.settings.SettingNames;
import dev.mbl.tracker.DynamoDbTracker;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * The chaos soak: the real handlers on the local stack, their clients wrapped with seeded faults
 * ({@link FaultyClients}), status events lost, duplicate deliveries, bad files, overwrites,
 * concurrent BulkLoader runs and config rewrites while the caches expire; then the fault phase
 * ends and {@link SoakCheck} checks the invariants.
 */
public final class Soak {
  /** Short clocks, so that a crashed batch is repaired within seconds. */
  static final Duration RECONCILE = Duration.ofSeconds(2);
  static final int START_LEASE_SECONDS = 4;
  static final int RUNNING_LEASE_SECONDS = 30;
  static final Duration VISIBILITY = Duration.ofSeconds(2);
  static final int RECEIVES_BEFORE_DEAD_LETTER = 5;
  /** The fault phase lasts until this share of the uploaded versions has settled. */
  static final double FAULT_PHASE_SETTLED = 0.95;

  /**
   * What to run; see {@code mbl soak --help}. {@code s3Folder} null keeps S3 in a temporary
   * folder removed at the end.
   */
  public record Options(int files, int tables, long seed, Map<FaultKind, Double> rates, boolean everyKindOnce,
      Duration settleTimeout, Path s3Folder, PrintStream functionLog, PrintStream out) {
    public Options {
      if (files < 1 || tables < 1 || tables > 26) {
        throw new IllegalArgumentException("give --files 1 or more and --tables 1 to 26 (got " + files + ", "
            + tables + ")");
      }
      Objects.requireNonNull(rates, "rates");
      Objects.requireNonNull(settleTimeout, "settleTimeout");
      Objects.requireNonNull(functionLog, "functionLog");
      Objects.requireNonNull(out, "out");
    }
  }

  private Soak() {}

  public static SoakResult run(Options options) throws Exception {
    Instant begin = Instant.now();
    FaultPlan plan = new FaultPlan(options.seed(), options.rates(), options.everyKindOnce());
    FaultyClients faults = new FaultyClients(plan);
    List<SoakTable> tables = new ArrayList<>();
    for (int i = 0; i < options.tables(); i++) {
      tables.add(new SoakTable(i));
    }
    try (LocalStack stack = LocalStack.builder().s3Directory(options.s3Folder()).out(options.functionLog())
        .reconcileEvery(RECONCILE).queues(VISIBILITY, RECEIVES_BEFORE_DEAD_LETTER).batch(10, Duration.ofMillis(200))
        .pollWait(Duration.ofSeconds(1))
        .setting(SettingNames.START_LEASE_SECONDS, String.valueOf(START_LEASE_SECONDS))
        .setting(SettingNames.RUNNING_LEASE_SECONDS, String.valueOf(RUNNING_LEASE_SECONDS))
        .setting(SettingNames.CHECK_RUNNING_SECONDS, "3").setting(SettingNames.RETRY_BASE_SECONDS, "1")
        .setting(SettingNames.RETRY_MAX_SECONDS, "4").setting(SettingNames.SETUP_PAUSE_SECONDS, "3")
        .setting(SettingNames.CACHE_SECONDS, "2")
        .handlerClients(faults::wrap).loseStatusEvents(event -> plan.next(FaultKind.LOST_EVENT)).start()) {
      options.out().printf("soak: seed %d, %d files over %d tables; local stack up in %d ms%n", options.seed(),
          options.files(), options.tables(), stack.startupTime().toMillis());
      prepare(stack, tables);
      List<SoakVersion> versions = SoakData.generate(options.seed(), options.files(), tables, plan);
      SoakDriver driver = new SoakDriver(stack, plan, tables);
      List<SoakVersion> uploaded = driver.upload(versions, options.out());
      DynamoDbTracker tracker = new DynamoDbTracker(stack.dynamo(), stack.settings().trackerTable(),
          Duration.ofDays(30));
      SoakCheck check = new SoakCheck(stack, tracker, tables, uploaded, driver.poisoned());
      // Faults go on while the loaders work through the backlog: until 95 % of the versions settled.
      check.awaitSettledFraction(FAULT_PHASE_SETTLED, options.settleTimeout());
      plan.stop();
      Instant faultPhaseEnd = Instant.now();
      options.out().printf("soak: fault phase over after %d s; settling the rest without faults%n",
          Duration.between(begin, faultPhaseEnd).toSeconds());
      check.awaitSettled(faultPhaseEnd, Duration.ofSeconds(RUNNING_LEASE_SECONDS).plus(RECONCILE),
          options.settleTimeout());
      check.checkAll();
      return new SoakResult(options, uploaded.size(), plan, Duration.between(begin, Instant.now()),
          check.violations(), check.figures());
    }
  }

  private static void prepare(LocalStack stack, List<SoakTable> tables) throws Exception {
    stack.s3().createBucket(b -> b.bucket(SoakTable.BUCKET));
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        java.sql.Statement sql = connection.createStatement()) {
      sql.execute(FaultyClients.CONFLICT_FUNCTION);
    }
    for (SoakTable table : tables) {
      execute(stack.redshiftData(), table.ddl());
      LocalTable added = stack.addTable(table.queue(), table.config().getBytes(StandardCharsets.UTF_8),
          SoakTable.BUCKET, table.prefix());
      Objects.requireNonNull(added, "table");
    }
  }

  /** Rewrites every table's config (same content): the handlers' caches (2 s) reload it mid-run. */
  static void rewriteConfigs(LocalStack stack, List<SoakTable> tables) {
    for (SoakTable table : tables) {
      LocalTable local = stack.table(table.queue()).orElseThrow();
      stack.putConfig(local.configKey(), table.config().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Runs one statement on analytics/dev through the Data API and waits for it to finish. */
  static void execute(RedshiftDataClient client, String sql) throws InterruptedException {
    WarehouseTarget target = WarehouseTarget.cluster("analytics", "dev");
    String id = client.executeStatement(e -> e.clusterIdentifier(target.warehouseName()).database("dev").sql(sql))
        .id();
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      var described = client.describeStatement(d -> d.id(id));
      if (described.status() == StatusString.FINISHED) {
        return;
      }
      if (described.status() == StatusString.FAILED || described.status() == StatusString.ABORTED) {
        throw new IllegalStateException("soak setup statement failed: " + sql + ": " + described.error());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("soak setup statement did not finish in 30 s: " + sql);
  }

  static RequestBody body(SoakVersion version) {
    return RequestBody.fromBytes(version.body());
  }

  static ExecutorService background() {
    return Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "soak-bulk");
      thread.setDaemon(true);
      return thread;
    });
  }
}
