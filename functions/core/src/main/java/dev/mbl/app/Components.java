package dev.mbl.app;

import dev.mbl.aws.AwsClients;
import dev.mbl.config.ConfigParser;
import dev.mbl.config.ConfigSource;
import dev.mbl.config.QueueConfigLocator;
import dev.mbl.event.NextLoaderInputParser;
import dev.mbl.event.S3EventParser;
import dev.mbl.health.HealthCheck;
import dev.mbl.health.HealthReader;
import dev.mbl.health.HealthRules;
import dev.mbl.load.BatchIds;
import dev.mbl.load.BulkLoad;
import dev.mbl.load.FileIntake;
import dev.mbl.load.LoadCoordinator;
import dev.mbl.log.JsonLog;
import dev.mbl.manifest.ManifestWriter;
import dev.mbl.settings.Settings;
import dev.mbl.sql.BatchSqlBuilder;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.TrackerStatus;
import dev.mbl.warehouse.DataApiWarehouse;
import dev.mbl.warehouse.TableColumns;
import dev.mbl.warehouse.Warehouse;
import java.time.Clock;
import java.util.Objects;

/**
 * Builds every collaborator once from {@link Settings} and the AWS clients: the handlers' and
 * the local runtime's single composition root. Nothing here is static; caches live in the
 * instances it builds.
 */
public final class Components {
  private final Settings settings;
  private final Clock clock;
  private final DynamoDbTracker tracker;
  private final ConfigSource configs;
  private final LoadCoordinator coordinator;
  private final FileIntake intake;
  private final BulkLoad bulk;
  private final NextLoaderInputParser nextLoaderInput;
  private final HealthCheck health;
  private final JsonLog log;

  public Components(Settings settings, AwsClients clients, Clock clock, JsonLog log) {
    this(settings, clients, new DataApiWarehouse(clients.redshiftData()), clock, log);
  }

  /** With a given warehouse (tests inject one that fails on purpose). */
  public Components(Settings settings, AwsClients clients, Warehouse warehouse, Clock clock, JsonLog log) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
    this.tracker = new DynamoDbTracker(clients.dynamo(), settings.trackerTable(), settings.retention());
    // The parser knows mbl's region: a COPY REGION must name it, since the manifest is written there.
    ConfigParser parser = ConfigParser.forRegion(settings.region());
    this.configs = ConfigSource.builder().s3(clients.s3()).inline(tracker).parser(parser)
        .clock(clock).ttl(settings.cacheTtl()).build();
    this.coordinator = new LoadCoordinator(tracker, configs::load,
        new TableColumns(warehouse, clock, settings.cacheTtl()), warehouse,
        new ManifestWriter(clients.s3(), settings.manifestBucket(), settings.manifestPrefix()),
        BatchSqlBuilder.create(), new BatchIds(), settings.timings());
    this.intake = new FileIntake(tracker, configs::load,
        new QueueConfigLocator(settings.configBucket(), settings.configPrefix()), S3EventParser.create(), coordinator);
    this.bulk = new BulkLoad(tracker, configs, parser, clients.s3(), coordinator,
        new QueueConfigLocator(settings.configBucket(), settings.configPrefix()));
    this.nextLoaderInput = NextLoaderInputParser.create();
    this.health = new HealthCheck(tracker, new HealthReader(tracker,
        new TrackerStatus(clients.dynamo(), settings.trackerTable()), HealthReader.DEFAULT_LOOKBACK),
        HealthRules.standard(), configs::load);
  }

  public Settings settings() {
    return settings;
  }

  public Clock clock() {
    return clock;
  }

  public DynamoDbTracker tracker() {
    return tracker;
  }

  /** Table configs by reference, cached as the handlers cache them. */
  public ConfigSource configs() {
    return configs;
  }

  public LoadCoordinator coordinator() {
    return coordinator;
  }

  public FileIntake intake() {
    return intake;
  }

  public BulkLoad bulk() {
    return bulk;
  }

  public NextLoaderInputParser nextLoaderInput() {
    return nextLoaderInput;
  }

  /** Every table's health (docs/operations.md): the reconcile's metrics and {@code mbl status}. */
  public HealthCheck health() {
    return health;
  }

  public JsonLog log() {
    return log;
  }
}
