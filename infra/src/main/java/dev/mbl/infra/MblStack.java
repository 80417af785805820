package dev.mbl.infra;

import dev.mbl.infra.LoaderFunctions.Kind;
import dev.mbl.tables.Deployment;
import dev.mbl.tables.TableSpec;
import dev.mbl.tables.TablesFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.ISource;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * Everything mbl runs on, for the tables of one tables file: the state store, the three functions,
 * one ingest path per table, the triggers, the warehouse grants and the monitoring.
 */
public final class MblStack extends Stack {
  /**
   * @param deployment the validated tables file
   * @param options the context options
   * @param code the shaded handler jar
   */
  public record Props(Deployment deployment, DeploymentOptions options, Code code) {
    public Props {
      Objects.requireNonNull(deployment, "deployment");
      Objects.requireNonNull(options, "options");
      Objects.requireNonNull(code, "code");
    }
  }

  private final Bucket landingBucket;

  public MblStack(Construct scope, String id, StackProps stackProps, Props props) {
    super(scope, id, stackProps);
    Deployment deployment = props.deployment();
    DeploymentOptions options = props.options();

    StateStore state = new StateStore(this, "State",
        new StateStore.Props(options.deletionProtection(), options.retentionDays()));
    LoaderFunctions functions = new LoaderFunctions(this, "Functions", new LoaderFunctions.Props(props.code(),
        state.tracker(), state.configBucket(), options.retentionDays(), options.logRetentionDays(),
        options.snapStart()));
    WarehouseAccess.statements(this, deployment, functions.role()).forEach(functions.role()::addToPolicy);

    landingBucket = deployment.createsLandingBucket() ? Bucket.Builder.create(this, "LandingBucket")
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .encryption(BucketEncryption.S3_MANAGED)
        .removalPolicy(RemovalPolicy.RETAIN)
        .lifecycleRules(landingLifecycle(options.landingExpirationDays()))
        .build() : null;
    Map<String, IBucket> imported = new LinkedHashMap<>();
    List<Monitoring.TableQueues> queues = new ArrayList<>();
    for (TableSpec table : deployment.tables()) {
      IBucket landing = table.landing().create() ? landingBucket : imported.computeIfAbsent(table.landing().bucket(),
          name -> Bucket.fromBucketName(this, "Landing-" + name, name));
      TableIngest ingest = new TableIngest(this, "Table-" + table.name(), new TableIngest.Props(table, landing,
          functions.alias(Kind.MICROBATCH_LOADER), Kind.MICROBATCH_LOADER.timeout()));
      queues.add(new Monitoring.TableQueues(table, ingest));
      grantBulkListing(functions, table, landing);
    }
    grantCopyRoles(deployment, state.configBucket());

    List<ISource> configs = deployment.tables().stream()
        .map(t -> Source.jsonData(t.configFileName(), DeployedConfig.of(t, landingBucketName(t)))).toList();
    // prune: tables.json is the source of truth for config/; a table removed there loses its config too.
    BucketDeployment.Builder.create(this, "TableConfigs")
        .sources(configs)
        .destinationBucket(state.configBucket())
        .destinationKeyPrefix(TablesFile.CONFIG_PREFIX)
        .prune(true)
        .build();

    new Triggers(this, "Triggers", new Triggers.Props(deployment, functions.alias(Kind.NEXT_LOADER),
        functions.reconcileAlias(),
        functions.alias(Kind.BULK_LOADER), this::landingBucketName, functions.asyncFailures()));
    Monitoring monitoring = new Monitoring(this, "Monitoring",
        new Monitoring.Props(functions, queues, options.alarmSubscription().orElse(null)));

    output("TrackerTableName", state.tracker().getTableName(), "MBL_TRACKER_TABLE");
    output("ConfigBucketName", state.configBucket().getBucketName(), "configs under config/, manifests under manifests/");
    for (Kind kind : Kind.values()) {
      output(kind.id() + "Name", functions.function(kind).getFunctionName(), kind.id() + " function name");
      output(kind.id() + "LogGroup", functions.logGroup(kind).getLogGroupName(), kind.id() + " JSON log lines");
    }
    output("FunctionRoleName", functions.role().getRoleName(), "the one role of the three functions (database user "
        + "IAMR:<name> with IAM authentication)");
    output("AlarmTopicArn", monitoring.topic().getTopicArn(), "subscribe to receive alarms");
    if (landingBucket != null) {
      output("LandingBucketName", landingBucket.getBucketName(),
          "the landing bucket created for tables with bucket \"create\"");
    }
    NagSuppressionsForMbl.apply(this, functions, state, landingBucket);
    getNode().addValidation(new ResourceLimit(this, deployment.tables().size()));
  }

  /**
   * Unfinished multipart uploads are aborted after a day; files expire after {@code expirationDays}
   * (0: kept). The bucket is not versioned, so an expiry leaves no delete markers behind.
   */
  static List<LifecycleRule> landingLifecycle(int expirationDays) {
    List<LifecycleRule> rules = new ArrayList<>();
    rules.add(LifecycleRule.builder().id("abort-uploads").abortIncompleteMultipartUploadAfter(Duration.days(1)).build());
    if (expirationDays > 0) {
      rules.add(LifecycleRule.builder().id("expire-landed-files").expiration(Duration.days(expirationDays)).build());
    }
    return rules;
  }

  private String landingBucketName(TableSpec table) {
    return table.landing().create() ? landingBucket.getBucketName() : table.landing().bucket();
  }

  /**
   * BulkLoader lists landing prefixes, and a relative bulk prefix outside the landing prefix too:
   * without it every scheduled run would end in AccessDenied. The functions never read the files
   * (Redshift does, as the COPY role) but ask for each file's current eTag before loading it
   * (a listing of the batch's key range, which needs s3:ListBucket on the prefix, or HeadObject, which
   * needs s3:GetObject; docs/protocol.md section 6a).
   */
  private static void grantBulkListing(LoaderFunctions functions, TableSpec table, IBucket landing) {
    functions.role().addToPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
        .actions(List.of("s3:GetObject"))
        .resources(landingListPrefixes(table).stream().map(landing::arnForObjects).toList()).build());
    functions.role().addToPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
        .actions(List.of("s3:ListBucket")).resources(List.of(landing.getBucketArn()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", landingListPrefixes(table)))).build());
    table.bulk().filter(b -> b.absolute()).ifPresent(bulk -> functions.role().addToPolicy(PolicyStatement.Builder
        .create().effect(Effect.ALLOW).actions(List.of("s3:ListBucket"))
        .resources(List.of("arn:" + Stack.of(functions).getPartition() + ":s3:::" + bulk.bucket()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(bulk.staticKeyPrefix() + "*")))).build()));
  }

  /**
   * Redshift's COPY reads each manifest (and, in the created landing bucket, the table's files) as
   * the config's COPY role: the last role of a chain. The cluster's {@code default} role cannot be
   * named here; grant it yourself (docs/deploy.md).
   */
  private void grantCopyRoles(Deployment deployment, Bucket configBucket) {
    List<String> manifestReaders = new ArrayList<>();
    for (TableSpec table : deployment.tables()) {
      String role = copyRole(table.config().iamRole());
      if (role == null) {
        continue;
      }
      if (!manifestReaders.contains(role)) {
        manifestReaders.add(role);
      }
      if (table.landing().create()) {
        // COPY reads what BulkLoader enqueues from the bulk prefix too.
        List<String> readable = landingListPrefixes(table).stream().map(landingBucket::arnForObjects).toList();
        landingBucket.addToResourcePolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
            .principals(List.of(new ArnPrincipal(role))).actions(List.of("s3:GetObject"))
            .resources(readable).build());
      }
    }
    if (!manifestReaders.isEmpty()) {
      configBucket.addToResourcePolicy(PolicyStatement.Builder.create().sid("CopyRolesReadManifests")
          .effect(Effect.ALLOW).principals(manifestReaders.stream().<IPrincipal>map(ArnPrincipal::new).toList())
          .actions(List.of("s3:GetObject"))
          .resources(List.of(configBucket.arnForObjects(StateStore.MANIFEST_PREFIX + "*"))).build());
    }
  }

  /** What the role may list in the landing bucket: the landing prefix, and a relative bulk prefix outside it. */
  static List<String> landingListPrefixes(TableSpec table) {
    List<String> prefixes = new ArrayList<>();
    prefixes.add(table.landing().prefix() + "*");
    bulkPrefixOutsideLanding(table).ifPresent(bulk -> prefixes.add(bulk + "*"));
    return prefixes;
  }

  /** The fixed part of a relative bulk prefix that the landing prefix does not cover. */
  static java.util.Optional<String> bulkPrefixOutsideLanding(TableSpec table) {
    return table.bulk().filter(b -> !b.absolute()).map(b -> b.staticKeyPrefix())
        .filter(fixed -> !fixed.startsWith(table.landing().prefix()));
  }

  /** The role that touches S3 for COPY: the last of a comma-separated chain; null for the cluster's default role. */
  static String copyRole(String iamRole) {
    if (iamRole.trim().equalsIgnoreCase("default")) {
      return null;
    }
    String[] chain = iamRole.split(",");
    return chain[chain.length - 1].trim();
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }
}
