package dev.mbl.cli.ops;

import dev.mbl.app.Components;
import dev.mbl.aws.AwsClients;
import dev.mbl.load.TableKey;
import dev.mbl.log.JsonLog;
import dev.mbl.settings.SettingNames;
import dev.mbl.settings.Settings;
import dev.mbl.tracker.TableRegistration;
import dev.mbl.tracker.TrackerStatus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The operator commands' connection to one mbl deployment, deployed or local, through the same
 * code path: AWS clients (endpoint overrides only for stand-ins), the handlers' {@link Components}
 * built from the stack's names, and SQS for the tables' queues.
 */
public final class OpsSession implements AutoCloseable {
  static final String LOCAL_TRACKER = "mbl-tracker";
  static final String LOCAL_CONFIG_BUCKET = "mbl-config";

  private final AwsClients clients;
  private final SqsClient sqs;
  private final Components components;
  private final TrackerStatus status;
  private final Clock clock;

  private OpsSession(AwsClients clients, SqsClient sqs, Settings settings, Clock clock) {
    this.clients = clients;
    this.sqs = sqs;
    this.clock = clock;
    this.components = new Components(settings, clients, clock, new JsonLog(new PrintStream(OutputStream.nullOutputStream())));
    this.status = new TrackerStatus(clients.dynamo(), settings.trackerTable());
  }

  /** Connects as {@code options} say; environment variables fill what flags do not. */
  public static OpsSession open(OpsOptions options, Map<String, String> env) {
    LocalState local = options.local ? localState(options) : null;
    Region region = Region.of(options.region != null ? options.region
        : local != null ? local.region()
        : options.local && env.get("AWS_REGION") == null && env.get("AWS_DEFAULT_REGION") == null ? "us-east-1"
        : new DefaultAwsRegionProviderChain().getRegion().id());
    AwsCredentialsProvider credentials = local != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(local.accessKeyId(), local.secretAccessKey()))
        : options.local ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret"))
        : options.profile != null ? ProfileCredentialsProvider.create(options.profile)
        : DefaultCredentialsProvider.builder().build();
    if (local != null) {
      options.trackerTable = options.trackerTable != null ? options.trackerTable : local.trackerTable();
      options.configBucket = options.configBucket != null ? options.configBucket : local.configBucket();
    }
    URI edge = options.endpointUrl != null ? options.endpointUrl : local != null ? local.edge() : null;
    Map<String, URI> endpoints = new HashMap<>();
    put(endpoints, "s3", options.s3Endpoint, edge);
    put(endpoints, "dynamodb", options.dynamoDbEndpoint, edge);
    put(endpoints, "redshift-data", options.redshiftDataEndpoint, edge);
    put(endpoints, "sqs", options.sqsEndpoint, edge);
    var sqsBuilder = SqsClient.builder().region(region).credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    if (endpoints.containsKey("sqs")) {
      sqsBuilder.endpointOverride(endpoints.get("sqs"));
    }
    Map<String, String> names = names(options, env, region, credentials, edge);
    Map<String, String> settingsEnv = new HashMap<>(names);
    settingsEnv.put(SettingNames.AWS_REGION, region.id());
    AwsClients clients = AwsClients.create(region, credentials, endpoints);
    return new OpsSession(clients, sqsBuilder.build(), Settings.fromEnvironment(settingsEnv), Clock.systemUTC());
  }

  /**
   * {@code --local}: the state file of a running {@code ./mbl local up}; without it, explicit
   * endpoints (one per service, as the stack prints them) and the local defaults.
   */
  private static LocalState localState(OpsOptions options) {
    if (java.nio.file.Files.exists(LocalState.FILE)) {
      return LocalState.read(LocalState.FILE);
    }
    boolean endpoints = options.endpointUrl != null || (options.s3Endpoint != null && options.sqsEndpoint != null
        && options.dynamoDbEndpoint != null && options.redshiftDataEndpoint != null);
    if (!endpoints) {
      throw new UsageException("no local stack is running here (" + LocalState.FILE + " is missing): start it with "
          + "./mbl local up in this folder, or give --endpoint-url");
    }
    return null;
  }

  private static void put(Map<String, URI> endpoints, String service, URI specific, URI edge) {
    if (specific != null || edge != null) {
      endpoints.put(service, specific != null ? specific : edge);
    }
  }

  /** Tracker table and config bucket: flags, else the stack's outputs, else the environment, else local defaults. */
  private static Map<String, String> names(OpsOptions options, Map<String, String> env, Region region,
      AwsCredentialsProvider credentials, URI edge) {
    String tracker = options.trackerTable;
    String bucket = options.configBucket;
    if ((tracker == null || bucket == null) && options.stack != null) {
      Map<String, String> outputs = stackOutputs(options.stack, region, credentials, edge);
      tracker = tracker != null ? tracker : outputs.get("TrackerTableName");
      bucket = bucket != null ? bucket : outputs.get("ConfigBucketName");
    }
    tracker = tracker != null ? tracker : env.get(SettingNames.TRACKER_TABLE);
    bucket = bucket != null ? bucket : env.get(SettingNames.CONFIG_BUCKET);
    if (options.local) {
      tracker = tracker != null ? tracker : LOCAL_TRACKER;
      bucket = bucket != null ? bucket : LOCAL_CONFIG_BUCKET;
    }
    if (tracker == null || bucket == null) {
      throw new UsageException("mbl does not know which deployment to use: name its stack with --stack NAME (its "
          + "outputs TrackerTableName and ConfigBucketName), or pass --tracker-table and --config-bucket "
          + "(or set MBL_TRACKER_TABLE and MBL_CONFIG_BUCKET), or use --local for ./mbl local up");
    }
    Map<String, String> result = new HashMap<>();
    result.put(SettingNames.TRACKER_TABLE, tracker);
    result.put(SettingNames.CONFIG_BUCKET, bucket);
    return result;
  }

  private static Map<String, String> stackOutputs(String stack, Region region, AwsCredentialsProvider credentials,
      URI edge) {
    var builder = CloudFormationClient.builder().region(region).credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    if (edge != null) {
      builder.endpointOverride(edge);
    }
    try (CloudFormationClient cloudFormation = builder.build()) {
      Map<String, String> outputs = new HashMap<>();
      for (Output output : cloudFormation.describeStacks(d -> d.stackName(stack)).stacks().get(0).outputs()) {
        outputs.put(output.outputKey(), output.outputValue());
      }
      return outputs;
    }
  }

  public Components components() {
    return components;
  }

  public TrackerStatus status() {
    return status;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public AwsClients clients() {
    return clients;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * The registered table {@code name} names: its full key ({@code analytics/dev/public.orders}),
   * {@code schema.table}, or the bare table name when only one schema has it.
   */
  public TableRegistration table(String name) {
    List<TableRegistration> all = components.tracker().registrations();
    List<TableRegistration> matches = all.stream().filter(r -> matches(r.table(), name)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    String known = all.isEmpty() ? "none yet (a table registers when its first file arrives)"
        : String.join(", ", all.stream().map(r -> r.table().toString()).sorted().toList());
    throw new UsageException(matches.isEmpty() ? "no table '" + name + "' is registered; known tables: " + known
        : "'" + name + "' names several tables: " + matches.stream().map(r -> r.table().toString()).toList()
            + "; give the full key");
  }

  static boolean matches(TableKey table, String name) {
    return table.toString().equalsIgnoreCase(name) || table.table().toString().equalsIgnoreCase(name)
        || table.table().table().value().equalsIgnoreCase(name);
  }

  /**
   * The queue that feeds a table: the config {@code s3://<bucket>/<prefix><queue>.json} is named
   * after it (docs/deploy.md); empty for a config given inline (bulk input).
   */
  public java.util.Optional<String> queueName(TableRegistration registration) {
    if (registration.config().isInline()) {
      return java.util.Optional.empty();
    }
    String key = registration.config().key();
    String file = key.substring(key.lastIndexOf('/') + 1);
    return file.endsWith(".json") ? java.util.Optional.of(file.substring(0, file.length() - 5))
        : java.util.Optional.empty();
  }

  @Override
  public void close() {
    sqs.close();
    clients.close();
  }
}
