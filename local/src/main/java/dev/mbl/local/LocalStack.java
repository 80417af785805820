package dev.mbl.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mbl.app.Components;
import dev.mbl.aws.AwsClients;
import dev.mbl.lambda.BulkLoaderHandler;
import dev.mbl.lambda.MicrobatchLoaderHandler;
import dev.mbl.lambda.NextLoaderHandler;
import dev.mbl.local.edge.EdgeRouter;
import dev.mbl.local.events.EventBus;
import dev.mbl.local.events.EventPattern;
import dev.mbl.local.lambda.LambdaEndpoint;
import dev.mbl.local.lambda.LambdaRuntime;
import dev.mbl.local.lambda.LocalFunction;
import dev.mbl.local.lambda.SqsEventSourceConfig;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.logging.QuietLogging;
import dev.mbl.local.redshift.DataApiEmulator;
import dev.mbl.local.redshift.LocalPostgres;
import dev.mbl.local.s3.NotificationRule;
import dev.mbl.local.s3.S3Notifications;
import dev.mbl.local.sqs.SqsQueue;
import dev.mbl.local.sqs.SqsServer;
import dev.mbl.log.JsonLog;
import dev.mbl.settings.SettingNames;
import dev.mbl.settings.Settings;
import dev.mbl.tracker.TrackerTable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole loader on one machine, in this JVM, with no AWS account: S3 (with event
 * notifications), SQS, DynamoDB, PostgreSQL behind a Redshift Data API emulator, an EventBridge
 * bus, and the three real handlers triggered as Lambda triggers them. Every server listens on a
 * free loopback port ({@link #endpoints()}). {@link #addTable} wires one target table.
 * {@link #close()} stops every thread, server and process it started.
 */
public final class LocalStack implements AutoCloseable {
  static final String MICROBATCH_LOADER = "MicrobatchLoader";
  static final String NEXT_LOADER = "NextLoader";
  static final String BULK_LOADER = "BulkLoader";
  /** A closed port: with no warehouse, Data API calls fail at once instead of reaching AWS. */
  private static final URI NO_DATA_API = URI.create("http://127.0.0.1:9");

  private final LocalStackBuilder options;
  private final Deque<AutoCloseable> closers;
  private final Servers servers;
  private final Endpoints endpoints;
  private final Settings settings;
  private final AwsClients clients;
  private final SqsClient sqs;
  private final EventBus events;
  private final LambdaRuntime runtime;
  private final S3Notifications notifications;
  private final DataApiEmulator dataApi;
  private final LocalFunction<SQSEvent, SQSBatchResponse> microbatchLoader;
  private final LocalFunction<byte[], byte[]> nextLoader;
  private final LocalFunction<byte[], byte[]> bulkLoader;
  private final Map<String, LocalTable> tables = new ConcurrentHashMap<>();
  private final Duration startupTime;
  private final Latency latency;

  private LocalStack(LocalStackBuilder options, Servers servers, Deque<AutoCloseable> closers, long startNanos) {
    this.options = options;
    this.servers = servers;
    this.closers = closers;
    this.notifications = servers.notifications();
    this.sqs = servers.sqs().client();
    JsonLog log = new JsonLog(options.out);
    var credentials = credentials(options);
    this.latency = new Latency(options.latency, options.pauses);
    this.events = push(closers, new EventBus(log::message, options.clock, latency));
    // Its own S3 client: the emulator reads COPY sources and manifests as Redshift does.
    AwsClients emulatorClients = push(closers, AwsClients.create(Region.of(options.region), credentials,
        Map.of("s3", servers.s3().endpoint())));
    DataApiEmulator emulator = servers.postgres() == null ? null : push(closers, DataApiEmulator.start(
        servers.postgres(), emulatorClients.s3(), statusEvents(options, events), options.region, options.account, latency));
    this.dataApi = emulator;
    LambdaEndpoint lambdaApi = push(closers, LambdaEndpoint.start(options.region, options.account, 0));
    URI dataApiEndpoint = emulator == null ? NO_DATA_API : emulator.endpoint();
    EdgeRouter edge = push(closers, EdgeRouter.start(Map.of("s3", servers.s3().endpoint(),
        "sqs", servers.sqs().endpoint(), "dynamodb", servers.dynamo().endpoint(), "redshift-data", dataApiEndpoint,
        "lambda", lambdaApi.endpoint()), options.edgePort));
    this.endpoints = new Endpoints(servers.s3().endpoint(), servers.sqs().endpoint(), servers.dynamo().endpoint(),
        dataApiEndpoint, servers.postgres() == null ? null : servers.postgres().jdbcUrl(), options.region,
        options.account, lambdaApi.endpoint(), edge.endpoint());
    this.clients = push(closers, AwsClients.create(Region.of(options.region), credentials, Map.of(
        "s3", endpoints.s3(), "dynamodb", endpoints.dynamoDb(), "redshift-data", endpoints.redshiftData())));
    this.settings = Settings.fromEnvironment(environment(options));
    TrackerTable.createIfMissing(clients.dynamo(), settings.trackerTable());
    createBucketIfMissing(settings.configBucket());
    createBucketIfMissing(settings.manifestBucket());

    this.runtime = push(closers, new LambdaRuntime(sqs, options.region, options.account, log::message, options.clock,
        options.out, latency));
    // Closed first (closers run last-in first-out): the bus hands its last events to the functions
    // before they drain their queues.
    closers.remove(events);
    closers.push(events);
    // One composition root per function, as each Lambda function has its own instances and caches.
    this.microbatchLoader = runtime.function(MICROBATCH_LOADER, new MicrobatchLoaderHandler(components()),
        options.functions);
    this.nextLoader = runtime.streamFunction(NEXT_LOADER, new NextLoaderHandler(components()), options.functions);
    this.bulkLoader = runtime.streamFunction(BULK_LOADER, new BulkLoaderHandler(components()), options.functions);
    lambdaApi.register(MICROBATCH_LOADER, LambdaEndpoint.json(microbatchLoader, SQSEvent.class), "live");
    lambdaApi.register(NEXT_LOADER, LambdaEndpoint.of(nextLoader), "live", "reconcile");
    lambdaApi.register(BULK_LOADER, LambdaEndpoint.of(bulkLoader), "live");
    events.addRule("mbl-next-loader", EventPattern.dataApiCompletion(options.statementNamePrefix),
        runtime.eventTarget(nextLoader));
    if (!options.reconcilePeriod.isZero()) {
      runtime.schedule("mbl-reconcile", options.reconcilePeriod, nextLoader);
    }
    this.startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
    var line = log.mapper().createObjectNode();
    line.put("startup_ms", startupTime.toMillis());
    if (!options.latency.isFast()) {
      line.put("latency", options.latency.name());
    }
    line.set("endpoints", log.mapper().valueToTree(Map.of("s3", endpoints.s3().toString(),
        "sqs", endpoints.sqs().toString(), "dynamodb", endpoints.dynamoDb().toString(),
        "redshift-data", endpoints.redshiftData().toString(), "lambda", endpoints.lambda().toString(),
        "edge", endpoints.edge().toString(),
        "postgres", String.valueOf(endpoints.postgresJdbcUrl()))));
    log.summary("LocalStack", "started", line, options.clock.instant());
  }

  /** Options with defaults; {@code builder().start()} starts the stack. */
  public static LocalStackBuilder builder() {
    return new LocalStackBuilder();
  }

  /** Starts the stack with every default. */
  public static LocalStack start() {
    return builder().start();
  }

  static LocalStack start(LocalStackBuilder options) {
    long startNanos = System.nanoTime();
    eventSource(options, "validation", "arn:aws:sqs:" + options.region + ":" + options.account + ":validation");
    QuietLogging.apply();
    Deque<AutoCloseable> closers = new ArrayDeque<>();
    try {
      Servers servers = Servers.start(options, closers);
      return new LocalStack(options, servers, closers, startNanos);
    } catch (RuntimeException | Error e) {
      RuntimeException cleanup = closeAll(closers);
      if (cleanup != null) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /**
   * Wires one target table as the deployment does: creates {@code landingBucket} if missing, the
   * queue {@code queueName} with its dead-letter queue, uploads the config to
   * {@code {config prefix}{queueName}.json}, sends {@code ObjectCreated} events under
   * {@code prefix} to the queue and starts MicrobatchLoader's poller on it.
   *
   * @throws IllegalStateException when a table with this queue exists already
   */
  public LocalTable addTable(String queueName, byte[] configJson, String landingBucket, String prefix) {
    return addTable(queueName, configJson, landingBucket, prefix, "");
  }

  /** As {@link #addTable(String, byte[], String, String)}, notifying only keys that end with {@code suffix}. */
  public synchronized LocalTable addTable(String queueName, byte[] configJson, String landingBucket, String prefix,
      String suffix) {
    if (tables.containsKey(queueName)) {
      throw new IllegalStateException("queue " + queueName + " already feeds a table: use another queue name");
    }
    createBucketIfMissing(landingBucket);
    SqsQueue queue = servers.sqs().createQueueWithDeadLetterQueue(queueName, options.visibilityTimeout,
        options.maxReceiveCount);
    String configKey = settings.configPrefix() + queueName + ".json";
    putConfig(configKey, configJson);
    NotificationRule rule = new NotificationRule("mbl-" + queueName, landingBucket, prefix, suffix, queue.url());
    notifications.add(rule);
    if (options.s3TestEvents) {
      notifications.sendTestEvent(rule);
    }
    var poller = runtime.addSqsEventSource(microbatchLoader, eventSource(options, queue.url(), queue.arn()));
    LocalTable table = new LocalTable(queue, rule, configKey, poller);
    tables.put(queueName, table);
    return table;
  }

  /** Replaces a table's config object (the handlers pick it up when their cache expires). */
  public void putConfig(String configKey, byte[] configJson) {
    clients.s3().putObject(p -> p.bucket(settings.configBucket()).key(configKey), RequestBody.fromBytes(configJson));
  }

  /** Invokes BulkLoader and waits; returns its answer. */
  public String invokeBulkLoader(String input) {
    return new String(bulkLoader.invoke(input.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /** Invokes NextLoader and waits (e.g. {@code {"action":"reconcile"}}); returns its answer. */
  public String invokeNextLoader(String input) {
    return new String(nextLoader.invoke(input.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /** Invokes BulkLoader with {@code input} every {@code period} (a schedule rule with constant input). */
  public ScheduledFuture<?> scheduleBulkLoad(Duration period, String input) {
    return runtime.schedule(period, bulkLoader, input.getBytes(StandardCharsets.UTF_8));
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** From the call to start until every server, table and trigger was ready. */
  public Duration startupTime() {
    return startupTime;
  }

  /** The handlers' settings, as read from the environment map the stack built. */
  public Settings settings() {
    return settings;
  }

  public Optional<LocalTable> table(String queueName) {
    return Optional.ofNullable(tables.get(queueName));
  }

  public List<LocalTable> tables() {
    return List.copyOf(tables.values());
  }

  public S3Client s3() {
    return clients.s3();
  }

  public DynamoDbClient dynamo() {
    return clients.dynamo();
  }

  public RedshiftDataClient redshiftData() {
    return clients.redshiftData();
  }

  public SqsClient sqs() {
    return sqs;
  }

  public SqsServer sqsServer() {
    return servers.sqs();
  }

  /** The bus Data API status events go through: drop them here to rehearse a lost event. */
  public EventBus events() {
    return events;
  }

  public S3Notifications notifications() {
    return notifications;
  }

  public LambdaRuntime runtime() {
    return runtime;
  }

  public LocalFunction<SQSEvent, SQSBatchResponse> microbatchLoader() {
    return microbatchLoader;
  }

  public LocalFunction<byte[], byte[]> nextLoader() {
    return nextLoader;
  }

  public LocalFunction<byte[], byte[]> bulkLoader() {
    return bulkLoader;
  }

  /**
   * The Redshift Data API emulator, when the stack has a warehouse: its test switches
   * ({@code throttleNextRequests}, {@code refuseNextSubmissions}, {@code holdStatements},
   * {@code placeBucket}) let an end-to-end test make Redshift fail as it can.
   */
  public Optional<DataApiEmulator> dataApiEmulator() {
    return Optional.ofNullable(dataApi);
  }

  /** The warehouse, when the stack has one. */
  public Optional<LocalPostgres> postgres() {
    return Optional.ofNullable(servers.postgres());
  }

  /**
   * Stops the triggers (schedules, pollers: no new invocations), then SQS (ending the pollers'
   * long polls at once), the bus, the functions (queued asynchronous invocations finish first),
   * the emulator, PostgreSQL, DynamoDB and S3. Idempotent.
   *
   * @throws IllegalStateException when something failed to stop (everything else is still stopped)
   */
  @Override
  public synchronized void close() {
    if (closers.isEmpty()) {
      return;
    }
    runtime.stopTriggers();
    closers.remove(servers.sqs());
    closers.push(servers.sqs());
    RuntimeException failure = closeAll(closers);
    if (failure != null) {
      throw failure;
    }
  }

  /** Closes everything on {@code closers}, last pushed first; returns the first failure, others suppressed. */
  private static RuntimeException closeAll(Deque<AutoCloseable> closers) {
    RuntimeException failure = null;
    while (!closers.isEmpty()) {
      AutoCloseable next = closers.pop();
      try {
        next.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("the local stack did not stop cleanly: "
              + next.getClass().getSimpleName() + " failed to close: " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  private Components components() {
    // The latency sits next to the real clients, as the network does; the caller's wrap sees the
    // handlers' calls.
    return new Components(settings, options.handlerClients.apply(LatentClients.wrap(clients, latency)), options.clock,
        new JsonLog(options.out));
  }

  /** The Data API's status events into the bus, minus the ones the builder says are lost. */
  private static java.util.function.Consumer<String> statusEvents(LocalStackBuilder options, EventBus events) {
    java.util.function.Consumer<String> bus = events.statusEvents();
    return event -> {
      if (!options.loseStatusEvent.test(event)) {
        bus.accept(event);
      }
    };
  }

  private void createBucketIfMissing(String bucket) {
    try {
      clients.s3().headBucket(h -> h.bucket(bucket));
    } catch (NoSuchBucketException missing) {
      clients.s3().createBucket(c -> c.bucket(bucket));
    }
  }

  /** MicrobatchLoader's mapping of one queue; built once at start too, so bad options fail before any server runs. */
  private static SqsEventSourceConfig eventSource(LocalStackBuilder options, String queueUrl, String queueArn) {
    return SqsEventSourceConfig.of(queueUrl, queueArn).withBatch(options.batchSize, options.batchingWindow)
        .withPollWait(options.pollWait).withMaximumConcurrency(options.functions.concurrency());
  }

  private static Map<String, String> environment(LocalStackBuilder options) {
    Map<String, String> env = new HashMap<>();
    env.put(SettingNames.AWS_REGION, options.region);
    env.put(SettingNames.TRACKER_TABLE, options.trackerTable);
    env.put(SettingNames.CONFIG_BUCKET, options.configBucket);
    env.putAll(options.settings);
    return env;
  }

  static StaticCredentialsProvider credentials(LocalStackBuilder options) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(options.accessKey, options.secretKey));
  }

  static <T extends AutoCloseable> T push(Deque<AutoCloseable> closers, T closeable) {
    closers.push(closeable);
    return closeable;
  }
}
