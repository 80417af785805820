package dev.mbl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.config.ConfigParser;
import dev.mbl.config.ConfigRef;
import dev.mbl.config.ConfigSource;
import dev.mbl.config.QueueConfigLocator;
import dev.mbl.event.S3EventParser;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.load.BatchIds;
import dev.mbl.load.FileIntake;
import dev.mbl.load.LoadCoordinator;
import dev.mbl.load.LoadEvent;
import dev.mbl.load.LoadTimings;
import dev.mbl.load.QueueMessage;
import dev.mbl.load.TableKey;
import dev.mbl.local.dynamo.DynamoDbServer;
import dev.mbl.local.s3.S3Server;
import dev.mbl.manifest.ManifestWriter;
import dev.mbl.sql.BatchSqlBuilder;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.TrackerTable;
import dev.mbl.warehouse.DataApiWarehouse;
import dev.mbl.warehouse.TableColumns;
import dev.mbl.warehouse.Warehouse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One isolated mbl deployment on the shared in-process stand-ins: its own tracker table, a
 * config for queue {@code orders-queue} targeting {@code analytics/dev/public.orders}, landing
 * files under {@code s3://mbl-landing/}, and a {@link FakeDataApi} in place of Redshift.
 */
public final class LoadHarness {
  public static final String CONFIG_BUCKET = "mbl-config";
  public static final String LANDING_BUCKET = "mbl-landing";
  public static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:orders-queue";
  public static final String CONFIG_JSON = """
      {"copy":{"options":"FORMAT AS CSV","role_arn":"arn:aws:iam::123456789012:role/redshift-copy",\
      "table_name":"public.orders"},"cluster":{"identifier":"analytics","db_name":"dev"},\
      "options":{"merge_duplicate_pks":false}}""";
  public static final TableKey TABLE = TableKey.parse("analytics/dev/public.orders");
  public static final LoadTimings TIMINGS = LoadTimings.DEFAULT;

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static DynamoDbServer dynamo;
  private static S3Server s3;

  public final DynamoDbTracker tracker;
  public final ConfigSource configs;
  public final FakeDataApi api;
  public final Warehouse warehouse;
  private final AtomicInteger files = new AtomicInteger();
  private Instant now = Instant.parse("2026-11-21T10:00:00Z");

  public LoadHarness() {
    startStandIns();
    String table = "mbl-tracker-" + TABLES.incrementAndGet();
    TrackerTable.createIfMissing(dynamo.client(), table);
    tracker = new DynamoDbTracker(dynamo.client(), table, Duration.ofDays(30));
    configs = ConfigSource.builder().s3(s3.client()).inline(tracker).parser(ConfigParser.create())
        .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    api = new FakeDataApi(s3.client()).table("public", "orders", "id:varchar", "amount:int8");
    warehouse = new DataApiWarehouse(api);
  }

  private static synchronized void startStandIns() {
    if (dynamo == null) {
      dynamo = DynamoDbServer.start();
      s3 = S3Server.start();
      s3.createBucket(CONFIG_BUCKET);
      s3.createBucket(LANDING_BUCKET);
      s3.put(CONFIG_BUCKET, "config/orders-queue.json", CONFIG_JSON.getBytes(StandardCharsets.UTF_8));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        s3.close();
        dynamo.close();
      }));
    }
  }

  public static S3Server s3() {
    return s3;
  }

  public static DynamoDbServer dynamo() {
    return dynamo;
  }

  public Instant now() {
    return now;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  public ConfigRef configRef() {
    return new QueueConfigLocator(CONFIG_BUCKET, "config/").forQueueArn(QUEUE_ARN);
  }

  /** A coordinator ("one Lambda instance") over the given tracker and warehouse. */
  public LoadCoordinator coordinator(DynamoDbTracker tracker, Warehouse warehouse) {
    return coordinator(tracker, warehouse, manifests());
  }

  /** A coordinator with a given manifest writer (tests inject a crash after the write). */
  public LoadCoordinator coordinator(DynamoDbTracker tracker, Warehouse warehouse, ManifestWriter manifests) {
    Function<ConfigRef, dev.mbl.config.TableConfig> load = configs::load;
    return new LoadCoordinator(tracker, load, new TableColumns(warehouse, Clock.systemUTC(), Duration.ofMinutes(5)),
        warehouse, manifests, BatchSqlBuilder.create(), new BatchIds(), TIMINGS);
  }

  public ManifestWriter manifests() {
    return new ManifestWriter(s3.client(), CONFIG_BUCKET, "manifests/");
  }

  public LoadCoordinator coordinator() {
    return coordinator(tracker, warehouse);
  }

  public FileIntake intake(LoadCoordinator coordinator) {
    return new FileIntake(tracker, configs::load, new QueueConfigLocator(CONFIG_BUCKET, "config/"),
        S3EventParser.create(), coordinator);
  }

  /** Uploads a CSV file whose every line names the file, so loaded rows trace back to it. */
  public S3ObjectRef upload(String body) {
    String name = "orders/2026/11/21/part " + String.format("%04d", files.incrementAndGet()) + ".csv";
    String content = body == null ? name + ",1\n" + name + ",2\n" : body;
    s3.put(LANDING_BUCKET, name, content.getBytes(StandardCharsets.UTF_8));
    var head = s3.client().headObject(h -> h.bucket(LANDING_BUCKET).key(name));
    return new S3ObjectRef(LANDING_BUCKET, name, head.contentLength(), head.eTag(), null, null);
  }

  /** Uploads {@code count} files of two rows each. */
  public List<S3ObjectRef> upload(int count) {
    List<S3ObjectRef> objects = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      objects.add(upload(null));
    }
    return objects;
  }

  /** An SQS message carrying S3's own notification for {@code objects} (keys URL-encoded as S3 does). */
  public QueueMessage message(String messageId, S3ObjectRef... objects) {
    String records = java.util.Arrays.stream(objects).map(o -> """
        {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-11-21T10:00:00.000Z",\
        "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","configurationId":"mbl",\
        "bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},"object":{"key":"%s","size":%d,"eTag":"%s",\
        "sequencer":"0055AED6DCD90281E5"}}}""".formatted(o.bucket(), o.bucket(),
        URLEncoder.encode(o.key(), StandardCharsets.UTF_8), o.size(), o.eTag()))
        .collect(Collectors.joining(","));
    return new QueueMessage(messageId, QUEUE_ARN, "{\"Records\":[" + records + "]}");
  }

  /** Ledgers files straight into the tracker (as the intake would) and registers the table. */
  public void ledger(List<S3ObjectRef> objects) {
    tracker.register(TABLE, configRef(), now);
    for (S3ObjectRef object : objects) {
      assertThat(tracker.ledger(TABLE, object, configRef(), now, false)).isTrue();
    }
  }

  /**
   * Runs the world until it is quiet: running statements end and their events are delivered,
   * the clock moves past back-offs, the reconciler runs. Returns every protocol event.
   */
  public List<LoadEvent> drain(LoadCoordinator coordinator) {
    List<LoadEvent> all = new ArrayList<>();
    for (int round = 0; round < 240; round++) {
      for (StatementEvent event : api.finishAll()) {
        all.addAll(coordinator.onStatementEvent(event, now));
      }
      if (api.running() == 0 && tracker.lock(TABLE).isEmpty() && tracker.work(TABLE).isEmpty()) {
        return all;
      }
      advance(Duration.ofMinutes(1));
      all.addAll(coordinator.reconcile(now));
    }
    throw new AssertionError("the protocol did not settle in 240 rounds; work left: " + tracker.work(TABLE)
        + ", lock: " + tracker.lock(TABLE) + ", events: " + all);
  }

  /**
   * Rule 8: every ledgered file is LOADED exactly once (each of its lines is in the warehouse
   * exactly once) or QUARANTINED with a reason (none of its lines loaded); no lock remains.
   */
  public void assertInvariant() {
    List<LedgerEntry> entries = tracker.ledgerEntries(TABLE);
    Map<String, Long> lineCounts = api.loadedLines().stream()
        .collect(Collectors.groupingBy(l -> l.substring(0, l.lastIndexOf(',')), Collectors.counting()));
    for (LedgerEntry entry : entries) {
      assertThat(entry.state()).as("state of %s", entry.key()).isIn(FileState.LOADED, FileState.QUARANTINED);
      if (entry.state() == FileState.QUARANTINED) {
        assertThat(entry.reason()).as("quarantine reason of %s", entry.key()).isNotBlank();
        assertThat(lineCounts).as("rows of quarantined %s", entry.key()).doesNotContainKey(entry.key());
      } else {
        assertThat(lineCounts.get(entry.key())).as("copies of each row of %s", entry.key()).isEqualTo(2L);
      }
    }
    assertThat(tracker.lock(TABLE)).as("lock of the table").isEmpty();
    assertThat(tracker.work(TABLE)).as("pending work").isEmpty();
  }
}
