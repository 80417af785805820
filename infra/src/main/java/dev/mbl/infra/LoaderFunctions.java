package dev.mbl.infra;

import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tables.TablesFile;
import dev.mbl.settings.SettingNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The three handlers of the one shaded jar, each with its log group and a {@code live} alias on a
 * published (SnapStart) version: every trigger invokes the alias, never {@code $LATEST}.
 *
 * <p>All three run as ONE role: the Data API only shows a statement to the IAM role that submitted
 * it, and NextLoader settles and repairs batches that MicrobatchLoader and BulkLoader submitted.
 */
public final class LoaderFunctions extends Construct {
  public static final String ALIAS = "live";
  /**
   * NextLoader's alias for the one-minute reconcile: no asynchronous retries and no failure
   * destination (the next minute makes up a missed one), so {@code AsyncFailures} holds only status
   * events and bulk runs that were really lost.
   */
  public static final String RECONCILE_ALIAS = "reconcile";
  /**
   * Names in the tracker's action list that are not IAM actions (cfn-lint W3037): DynamoDB
   * authorises TransactWriteItems by the item actions inside it (PutItem, UpdateItem, DeleteItem,
   * ConditionCheckItem), per "Using IAM with DynamoDB transactions".
   */
  static final Set<String> NOT_IAM_ACTIONS = Set.of("dynamodb:TransactWriteItems");
  /**
   * Regions without Lambda SnapStart ("Improving startup performance with Lambda SnapStart",
   * Supported Regions: every commercial Region except Asia Pacific (New Zealand) and Asia Pacific (Taipei)).
   */
  public static final Map<String, String> REGIONS_WITHOUT_SNAPSTART = Map.of(
      "ap-southeast-6", "Asia Pacific (New Zealand)", "ap-east-2", "Asia Pacific (Taipei)");

  /** The three functions: construct id (also the log's "function" field), handler, timeout. */
  public enum Kind {
    MICROBATCH_LOADER("MicrobatchLoader", "dev.mbl.lambda.MicrobatchLoaderHandler::handleRequest", Duration.minutes(5)),
    NEXT_LOADER("NextLoader", "dev.mbl.lambda.NextLoaderHandler::handleRequest", Duration.minutes(5)),
    BULK_LOADER("BulkLoader", "dev.mbl.lambda.BulkLoaderHandler::handleRequest", Duration.minutes(15));

    private final String id;
    private final String handler;
    private final Duration timeout;

    Kind(String id, String handler, Duration timeout) {
      this.id = id;
      this.handler = handler;
      this.timeout = timeout;
    }

    public String id() {
      return id;
    }

    public String handler() {
      return handler;
    }

    public Duration timeout() {
      return timeout;
    }
  }

  /**
   * @param code the shaded jar
   * @param tracker the tracker table
   * @param configBucket configs under {@code config/}, manifests under {@code manifests/}
   * @param retentionDays MBL_RETENTION_DAYS
   * @param logRetentionDays CloudWatch Logs retention
   * @param snapStart whether the published versions use SnapStart
   */
  public record Props(Code code, ITable tracker, IBucket configBucket, int retentionDays, int logRetentionDays,
      boolean snapStart) {}

  public static final int MEMORY_MB = 1024;

  private final Role role;
  private final Queue asyncFailures;
  private final Map<Kind, Function> functions = new LinkedHashMap<>();
  private final Map<Kind, Alias> aliases = new LinkedHashMap<>();
  private final Alias reconcileAlias;
  private final Map<Kind, LogGroup> logGroups = new LinkedHashMap<>();

  public LoaderFunctions(Construct scope, String id, Props props) {
    super(scope, id);
    role = Role.Builder.create(this, "Role")
        .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
        .description("mbl: MicrobatchLoader, NextLoader and BulkLoader (one role: Data API statements are per role)")
        .build();
    // NextLoader and BulkLoader are invoked asynchronously (EventBridge, Scheduler): what fails
    // after Lambda's retries lands here instead of vanishing.
    asyncFailures = Queue.Builder.create(this, "AsyncFailures")
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .retentionPeriod(Duration.days(14))
        .build();

    Map<String, String> environment = environment(props);
    warnWhereSnapStartIsMissing(props.snapStart());
    for (Kind kind : Kind.values()) {
      LogGroup logs = LogGroup.Builder.create(this, kind.id() + "Logs").build();
      ((CfnLogGroup) logs.getNode().getDefaultChild()).setRetentionInDays(props.logRetentionDays());
      logGroups.put(kind, logs);
      Function.Builder builder = Function.Builder.create(this, kind.id())
          .description("mbl " + kind.id())
          .runtime(Runtime.JAVA_21)
          .architecture(Architecture.ARM_64)
          .handler(kind.handler())
          .code(props.code())
          .memorySize(MEMORY_MB)
          .timeout(kind.timeout())
          .role(role)
          .logGroup(logs)
          .environment(environment);
      if (props.snapStart()) {
        builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
      }
      Function function = builder.build();
      if (props.snapStart()) {
        // Published by getCurrentVersion() below; every trigger uses an alias on that version.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
            "published through currentVersion and invoked only through the live alias");
      }
      functions.put(kind, function);
      Alias.Builder alias = Alias.Builder.create(this, kind.id() + "Alias")
          .aliasName(ALIAS)
          .version(function.getCurrentVersion());
      if (kind != Kind.MICROBATCH_LOADER) {
        alias.onFailure(new SqsDestination(asyncFailures)).retryAttempts(2).maxEventAge(Duration.hours(1));
      }
      aliases.put(kind, alias.build());
    }
    reconcileAlias = Alias.Builder.create(this, Kind.NEXT_LOADER.id() + "ReconcileAlias")
        .aliasName(RECONCILE_ALIAS)
        .version(functions.get(Kind.NEXT_LOADER).getCurrentVersion())
        .retryAttempts(0)
        .maxEventAge(Duration.minutes(1))
        .build();
    role.addToPolicy(PolicyStatement.Builder.create().sid("WriteOwnLogs").effect(Effect.ALLOW)
        .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
        .resources(logGroups.values().stream().map(LogGroup::getLogGroupArn).toList()).build());
    role.addToPolicy(PolicyStatement.Builder.create().sid("Tracker").effect(Effect.ALLOW)
        .actions(DynamoDbTracker.IAM_ACTIONS.stream().filter(a -> !NOT_IAM_ACTIONS.contains(a)).toList())
        .resources(List.of(props.tracker().getTableArn())).build());
    role.addToPolicy(PolicyStatement.Builder.create().sid("ReadConfigs").effect(Effect.ALLOW)
        .actions(List.of("s3:GetObject"))
        .resources(List.of(props.configBucket().arnForObjects(TablesFile.CONFIG_PREFIX + "*"))).build());
    // Without ListBucket a missing config answers 403 instead of 404, and the loader could not
    // say "config ... was not found; upload it".
    role.addToPolicy(PolicyStatement.Builder.create().sid("FindConfigs").effect(Effect.ALLOW)
        .actions(List.of("s3:ListBucket"))
        .resources(List.of(props.configBucket().getBucketArn()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(TablesFile.CONFIG_PREFIX + "*")))).build());
    role.addToPolicy(PolicyStatement.Builder.create().sid("WriteManifests").effect(Effect.ALLOW)
        .actions(List.of("s3:PutObject"))
        .resources(List.of(props.configBucket().arnForObjects(StateStore.MANIFEST_PREFIX + "*"))).build());
  }

  /** Warns at synth when the stack's region is known and has no SnapStart (fix: -c snapStart=false). */
  private void warnWhereSnapStartIsMissing(boolean snapStart) {
    String region = Stack.of(this).getRegion();
    if (snapStart && !Token.isUnresolved(region) && REGIONS_WITHOUT_SNAPSTART.containsKey(region)) {
      Annotations.of(this).addWarningV2("mbl:snapStartRegion", "Lambda SnapStart is not available in " + region
          + " (" + REGIONS_WITHOUT_SNAPSTART.get(region) + ") and the functions ask for it; fix: deploy with "
          + "-c snapStart=false (docs/deploy.md, SnapStart)");
    }
  }

  /** The environment of all three functions: names from {@link SettingNames}, the ones Settings reads. */
  static Map<String, String> environment(Props props) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(SettingNames.TRACKER_TABLE, props.tracker().getTableName());
    env.put(SettingNames.CONFIG_BUCKET, props.configBucket().getBucketName());
    env.put(SettingNames.CONFIG_PREFIX, TablesFile.CONFIG_PREFIX);
    env.put(SettingNames.MANIFEST_BUCKET, props.configBucket().getBucketName());
    env.put(SettingNames.MANIFEST_PREFIX, StateStore.MANIFEST_PREFIX);
    env.put(SettingNames.RETENTION_DAYS, Integer.toString(props.retentionDays()));
    return env;
  }

  public Role role() {
    return role;
  }

  public Queue asyncFailures() {
    return asyncFailures;
  }

  public Function function(Kind kind) {
    return functions.get(kind);
  }

  public Alias alias(Kind kind) {
    return aliases.get(kind);
  }

  /** NextLoader's alias for the reconcile schedule. */
  public Alias reconcileAlias() {
    return reconcileAlias;
  }

  public LogGroup logGroup(Kind kind) {
    return logGroups.get(kind);
  }
}
