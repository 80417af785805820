package dev.mbl.local;

import dev.mbl.local.lambda.FunctionConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of a {@link LocalStack}; every one has a default, so {@code LocalStack.builder().start()}
 * runs the whole loader locally.
 */
public final class LocalStackBuilder {
  /** The edge port {@code mbl local up} uses unless told otherwise (LocalStack's, so tools find it). */
  public static final int EDGE_PORT = 4566;
  /** The PostgreSQL port {@code mbl local up} uses unless told otherwise (Redshift's default port). */
  public static final int POSTGRES_PORT = 5439;

  String region = "us-east-1";
  String account = "000000000000";
  String accessKey = "local";
  String secretKey = "local-secret";
  Path s3Directory;
  boolean warehouse = true;
  String trackerTable = "mbl-tracker";
  String configBucket = "mbl-config";
  final Map<String, String> settings = new LinkedHashMap<>();
  FunctionConfig functions = FunctionConfig.defaults();
  int batchSize = 10;
  Duration batchingWindow = Duration.ZERO;
  Duration pollWait = Duration.ofSeconds(20);
  Duration visibilityTimeout = Duration.ofSeconds(30);
  int maxReceiveCount = 5;
  Duration reconcilePeriod = Duration.ofMinutes(1);
  String statementNamePrefix = "mbl/";
  boolean s3TestEvents = true;
  PrintStream out = System.out;
  Clock clock = Clock.systemUTC();
  int edgePort;
  int postgresPort;
  java.util.function.UnaryOperator<dev.mbl.aws.AwsClients> handlerClients = java.util.function.UnaryOperator.identity();
  java.util.function.Predicate<String> loseStatusEvent = event -> false;
  dev.mbl.local.latency.LatencyProfile latency = dev.mbl.local.latency.LatencyProfile.FAST;
  dev.mbl.local.latency.Pauses pauses = dev.mbl.local.latency.Pauses.SLEEP;

  LocalStackBuilder() {}

  /**
   * Wraps the AWS clients every handler is built with: fault injection at the composition root
   * (the soak). The handlers' code is the production code; only what they talk to misbehaves.
   * Default: the clients as they are.
   */
  public LocalStackBuilder handlerClients(java.util.function.UnaryOperator<dev.mbl.aws.AwsClients> wrap) {
    this.handlerClients = Objects.requireNonNull(wrap, "wrap");
    return this;
  }

  /**
   * Status-change events (JSON) for which {@code lose} answers true are lost between the Data API
   * and the event bus, as EventBridge may lose one. Default: none.
   */
  public LocalStackBuilder loseStatusEvents(java.util.function.Predicate<String> lose) {
    this.loseStatusEvent = Objects.requireNonNull(lose, "lose");
    return this;
  }

  /**
   * How slow the stand-ins are ({@code LatencyProfile.FAST}, the default, or {@code REALISTIC}:
   * AWS's latencies and Redshift's fixed costs, docs/performance.md): the Data API emulator's
   * answers and statements, the event bus's delivery, the pollers' receives and the handlers'
   * S3 and DynamoDB requests (beneath {@link #handlerClients}' wrap).
   */
  public LocalStackBuilder latency(dev.mbl.local.latency.LatencyProfile profile) {
    return latency(profile, dev.mbl.local.latency.Pauses.SLEEP);
  }

  /**
   * As {@link #latency(dev.mbl.local.latency.LatencyProfile)}, every pause going to {@code pauses}
   * (tests record them instead of waiting).
   */
  public LocalStackBuilder latency(dev.mbl.local.latency.LatencyProfile profile, dev.mbl.local.latency.Pauses pauses) {
    this.latency = Objects.requireNonNull(profile, "profile");
    this.pauses = Objects.requireNonNull(pauses, "pauses");
    return this;
  }

  /** Region of every ARN and client. Default us-east-1. */
  public LocalStackBuilder region(String value) {
    this.region = Objects.requireNonNull(value, "region");
    return this;
  }

  /** 12-digit account of every ARN. Default 000000000000. */
  public LocalStackBuilder account(String value) {
    this.account = Objects.requireNonNull(value, "account");
    return this;
  }

  /** The only credentials S3 accepts (the other stand-ins accept any). Default local / local-secret. */
  public LocalStackBuilder credentials(String accessKeyId, String secretAccessKey) {
    this.accessKey = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secretKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    return this;
  }

  /** Keep S3 objects in this directory instead of memory. Default: memory. */
  public LocalStackBuilder s3Directory(Path directory) {
    this.s3Directory = directory;
    return this;
  }

  /** Whether to start PostgreSQL and the Data API emulator. Default true. */
  public LocalStackBuilder warehouse(boolean start) {
    this.warehouse = start;
    return this;
  }

  /** The tracker table and config bucket (MBL_TRACKER_TABLE, MBL_CONFIG_BUCKET). Defaults mbl-tracker, mbl-config. */
  public LocalStackBuilder names(String trackerTableName, String configBucketName) {
    this.trackerTable = Objects.requireNonNull(trackerTableName, "trackerTableName");
    this.configBucket = Objects.requireNonNull(configBucketName, "configBucketName");
    return this;
  }

  /** One more handler environment variable (see {@code dev.mbl.settings.SettingNames}). */
  public LocalStackBuilder setting(String name, String value) {
    settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Concurrency, timeout and async retries of the three functions. Default {@link FunctionConfig#defaults()}. */
  public LocalStackBuilder functions(FunctionConfig config) {
    this.functions = Objects.requireNonNull(config, "config");
    return this;
  }

  /** MicrobatchLoader's event source mappings: batch size and window. Default 10, no window. */
  public LocalStackBuilder batch(int size, Duration window) {
    this.batchSize = size;
    this.batchingWindow = Objects.requireNonNull(window, "window");
    return this;
  }

  /** ReceiveMessage wait of the pollers (0 to 20 s); also bounds how long closing waits. Default 20 s. */
  public LocalStackBuilder pollWait(Duration wait) {
    this.pollWait = Objects.requireNonNull(wait, "wait");
    return this;
  }

  /** Visibility timeout and maxReceiveCount of each table's queue. Default 30 s and 5. */
  public LocalStackBuilder queues(Duration visibility, int receivesBeforeDeadLetter) {
    this.visibilityTimeout = Objects.requireNonNull(visibility, "visibility");
    this.maxReceiveCount = receivesBeforeDeadLetter;
    return this;
  }

  /** Period of NextLoader's reconcile schedule; zero turns it off. Default 1 minute. */
  public LocalStackBuilder reconcileEvery(Duration period) {
    this.reconcilePeriod = Objects.requireNonNull(period, "period");
    return this;
  }

  /** detail.statementName prefix of the rule that sends Data API completions to NextLoader. Default "mbl/". */
  public LocalStackBuilder statementNamePrefix(String prefix) {
    this.statementNamePrefix = Objects.requireNonNull(prefix, "prefix");
    return this;
  }

  /** Whether adding a table sends S3's s3:TestEvent to its queue, as S3 does. Default true. */
  public LocalStackBuilder s3TestEvents(boolean send) {
    this.s3TestEvents = send;
    return this;
  }

  /** Where the handlers' and the stack's JSON log lines go. Default System.out. */
  public LocalStackBuilder out(PrintStream stream) {
    this.out = Objects.requireNonNull(stream, "stream");
    return this;
  }

  /** The handlers' clock. Default the system UTC clock. */
  public LocalStackBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /**
   * Fixed ports for the edge endpoint (every service, routed by signing name; Lambda's Invoke API
   * too) and PostgreSQL; 0 picks a free port. Default 0 and 0 (tests); {@code mbl local up} uses
   * {@link #EDGE_PORT} and {@link #POSTGRES_PORT}.
   */
  public LocalStackBuilder ports(int edge, int postgres) {
    if (edge < 0 || edge > 65535 || postgres < 0 || postgres > 65535) {
      throw new IllegalArgumentException("ports must be 0 to 65535 (0: a free port); got edge " + edge
          + ", postgres " + postgres);
    }
    this.edgePort = edge;
    this.postgresPort = postgres;
    return this;
  }

  /** Starts a stack with these options (a copy: later changes to this builder do not reach it). */
  public LocalStack start() {
    return LocalStack.start(copy());
  }

  private LocalStackBuilder copy() {
    LocalStackBuilder copy = new LocalStackBuilder();
    copy.region = region;
    copy.account = account;
    copy.accessKey = accessKey;
    copy.secretKey = secretKey;
    copy.s3Directory = s3Directory;
    copy.warehouse = warehouse;
    copy.trackerTable = trackerTable;
    copy.configBucket = configBucket;
    copy.settings.putAll(settings);
    copy.functions = functions;
    copy.batchSize = batchSize;
    copy.batchingWindow = batchingWindow;
    copy.pollWait = pollWait;
    copy.visibilityTimeout = visibilityTimeout;
    copy.maxReceiveCount = maxReceiveCount;
    copy.reconcilePeriod = reconcilePeriod;
    copy.statementNamePrefix = statementNamePrefix;
    copy.s3TestEvents = s3TestEvents;
    copy.out = out;
    copy.clock = clock;
    copy.edgePort = edgePort;
    copy.postgresPort = postgresPort;
    copy.handlerClients = handlerClients;
    copy.loseStatusEvent = loseStatusEvent;
    copy.latency = latency;
    copy.pauses = pauses;
    return copy;
  }
}
