package dev.mbl.infra;

import static dev.mbl.infra.TemplateJson.asList;
import static dev.mbl.infra.TemplateJson.only;
import static dev.mbl.infra.TemplateJson.properties;
import static dev.mbl.infra.TemplateJson.statementsOf;
import static dev.mbl.infra.TemplateJson.statementsOfAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.infra.LoaderFunctions.Kind;
import dev.mbl.settings.SettingNames;
import dev.mbl.settings.Settings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack synthesized once from a tables file with every authentication and landing variant. */
class MblStackTest {
  @TempDir
  static Path work;

  /** Replaces the placeholder chain of config-samples/events-extended.json. */
  static final String EVENTS_COPY_ROLE = "arn:aws:iam::210987654321:role/events-copy";

  static Synth synth;
  static Template template;

  @BeforeAll
  static void synthesize() {
    synth = Synth.of(Path.of("src/test/resources/tables/all-auth.json"), work, Map.of("copyRoleArn", EVENTS_COPY_ROLE));
    template = synth.template();
  }

  // ------------------------------------------------------------------ state

  @Test
  void tracker_isOnDemandWithKeysTtlRecoveryAndDeletionProtection() {
    template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
        "BillingMode", "PAY_PER_REQUEST",
        "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
            Map.of("AttributeName", "sk", "KeyType", "RANGE")),
        "AttributeDefinitions", Match.arrayWith(List.of(Map.of("AttributeName", "pk", "AttributeType", "S"),
            Map.of("AttributeName", "sk", "AttributeType", "S"))),
        "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true),
        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
        "DeletionProtectionEnabled", true));
    template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain"));
  }

  @Test
  void configBucket_isPrivateEncryptedAndExpiresManifestsAfterTrackerRetention() {
    template.hasResourceProperties("AWS::S3::Bucket", Map.of(
        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
            "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
        "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(
            Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
        "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(Match.objectLike(Map.of(
            "Id", "expire-manifests", "Prefix", "manifests/", "ExpirationInDays", 32, "Status", "Enabled")))))));
  }

  @Test
  void buckets_denyRequestsWithoutTls() {
    Map<String, Map<String, Object>> policies = template.findResources("AWS::S3::BucketPolicy");
    assertThat(policies).hasSize(2);
    for (Map<String, Object> policy : policies.values()) {
      assertThat(statementsOf(properties(policy))).anySatisfy(s -> {
        assertThat(s).containsEntry("Effect", "Deny");
        assertThat(s.get("Condition").toString()).contains("aws:SecureTransport=false");
      });
    }
  }

  @Test
  void tableConfigs_areDeployedUnderConfigPrefixAndPruned() {
    template.hasResourceProperties("Custom::CDKBucketDeployment", Map.of(
        "DestinationBucketKeyPrefix", "config/",
        "Prune", true,
        "SourceObjectKeys", Match.anyValue()));
    Map<String, Object> deployment = properties(only(template.findResources("Custom::CDKBucketDeployment")));
    assertThat((List<?>) deployment.get("SourceObjectKeys")).hasSize(synth.deployment().tables().size());
  }

  // ------------------------------------------------------------------ functions

  @Test
  void functions_runJava21OnSnapStartWithTheirTimeouts() {
    for (Kind kind : Kind.values()) {
      template.hasResourceProperties("AWS::Lambda::Function", Map.of(
          "Handler", kind.handler(),
          "Runtime", "java21",
          "MemorySize", 1024,
          "Timeout", kind.timeout().toSeconds().intValue(),
          "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
          "LoggingConfig", Map.of("LogGroup", Match.anyValue())));
    }
    assertThat(Kind.MICROBATCH_LOADER.timeout().toMinutes().intValue()).isEqualTo(5);
    assertThat(Kind.NEXT_LOADER.timeout().toMinutes().intValue()).isEqualTo(5);
    assertThat(Kind.BULK_LOADER.timeout().toMinutes().intValue()).isEqualTo(15);
  }

  @Test
  void handlers_nameRealClassesWithHandleRequest() throws Exception {
    for (Kind kind : Kind.values()) {
      String[] parts = kind.handler().split("::");
      Class<?> handler = Class.forName(parts[0], false, getClass().getClassLoader());
      assertThat(handler.getMethods()).extracting(java.lang.reflect.Method::getName).contains(parts[1]);
    }
  }

  @Test
  void aliases_pointEveryFunctionAtItsPublishedVersion() {
    template.resourceCountIs("AWS::Lambda::Alias", 4); // live of each function, and NextLoader's reconcile
    template.allResourcesProperties("AWS::Lambda::Alias", Map.of(
        "FunctionVersion", Map.of("Fn::GetAtt", Match.arrayWith(List.of("Version")))));
    assertThat(template.findResources("AWS::Lambda::Alias", Map.of("Properties", Map.of("Name", "live"))))
        .hasSize(Kind.values().length);
  }

  @Test
  void environment_usesOnlySettingNamesAndSatisfiesSettings() throws Exception {
    Set<String> settingNames = new HashSet<>();
    for (Field field : SettingNames.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        settingNames.add((String) field.get(null));
      }
    }
    for (Kind kind : Kind.values()) {
      Map<String, Object> variables = environmentOf(kind);
      assertThat(settingNames).containsAll(variables.keySet());
      assertThat(variables).containsKeys(SettingNames.TRACKER_TABLE, SettingNames.CONFIG_BUCKET)
          .doesNotContainKey(SettingNames.AWS_REGION);
      Map<String, String> env = new HashMap<>();
      variables.forEach((k, v) -> env.put(k, v instanceof String s ? s : "resolved-at-deploy"));
      env.put(SettingNames.AWS_REGION, "eu-west-1");
      Settings settings = Settings.fromEnvironment(env);
      assertThat(settings.configPrefix()).isEqualTo("config/");
      assertThat(settings.manifestPrefix()).isEqualTo("manifests/");
      assertThat(settings.retention()).isEqualTo(Duration.ofDays(30));
    }
  }

  // ------------------------------------------------------------------ tables

  @Test
  void queues_haveDeadLettersSixTimeoutsOfVisibilityAndEncryption() {
    for (var table : synth.deployment().tables()) {
      long visibility = Kind.MICROBATCH_LOADER.timeout().toSeconds().longValue() * 6 + table.mapping().maxBatchingWindow().toSeconds();
      template.hasResourceProperties("AWS::SQS::Queue", Map.of(
          "QueueName", table.name(),
          "SqsManagedSseEnabled", true,
          "VisibilityTimeout", visibility,
          "RedrivePolicy", Map.of("maxReceiveCount", 5, "deadLetterTargetArn", Match.anyValue())));
      template.hasResourceProperties("AWS::SQS::Queue", Map.of(
          "QueueName", table.name() + "-dlq", "SqsManagedSseEnabled", true, "MessageRetentionPeriod", 1_209_600,
          "RedriveAllowPolicy", Map.of("redrivePermission", "byQueue", "sourceQueueArns", List.of(Map.of(
              "Fn::Join", List.of("", Match.arrayWith(List.of(":" + table.name()))))))));
    }
    for (Map<String, Object> policy : template.findResources("AWS::SQS::QueuePolicy").values()) {
      assertThat(statementsOf(properties(policy))).anySatisfy(s -> {
        assertThat(s).containsEntry("Effect", "Deny");
        assertThat(s.get("Condition").toString()).contains("aws:SecureTransport=false");
      });
    }
  }

  @Test
  void eventSourceMappings_reportBatchItemFailuresWithTableBatching() {
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 5);
    template.allResourcesProperties("AWS::Lambda::EventSourceMapping", Map.of(
        "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
    for (Map<String, Object> mapping : template.findResources("AWS::Lambda::EventSourceMapping").values()) {
      assertThat(properties(mapping).get("FunctionName").toString())
          .contains(aliasId(Kind.MICROBATCH_LOADER)).contains(":live");
    }
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
        "BatchSize", 100, "MaximumBatchingWindowInSeconds", 1, "ScalingConfig", Map.of("MaximumConcurrency", 2)));
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
        "BatchSize", 10, "MaximumBatchingWindowInSeconds", Match.absent(),
        "ScalingConfig", Map.of("MaximumConcurrency", 5)));
  }

  @Test
  void landingBuckets_notifyEachQueueOnItsPrefix() {
    Map<String, Map<String, Object>> notifications = template.findResources("Custom::S3BucketNotifications");
    assertThat(notifications).hasSize(2); // the created landing bucket and acme-landing
    String all = notifications.toString();
    for (var table : synth.deployment().tables()) {
      assertThat(all).contains("Name=prefix, Value=" + table.landing().prefix());
    }
    assertThat(all).contains("Name=suffix, Value=.json.gz").contains("s3:ObjectCreated:*")
        .contains("BucketName=acme-landing");
  }

  // ------------------------------------------------------------------ triggers

  @Test
  void statusRule_matchesFinalStatesOfEveryStatementPrefix() {
    template.hasResourceProperties("AWS::Events::Rule", Map.of(
        "EventPattern", Map.of(
            "source", List.of("aws.redshift-data"),
            "detail-type", List.of("Redshift Data Statement Status Change"),
            "detail", Map.of("state", List.of("FINISHED", "FAILED", "ABORTED"),
                "statementName", List.of(Map.of("prefix", "mbl/"), Map.of("prefix", "mbl-billing/"),
                    Map.of("prefix", "mbl-prod/")))),
        "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", aliasId(Kind.NEXT_LOADER)))))));
  }

  @Test
  void reconcileRule_invokesNextLoaderAliasEveryMinute() {
    template.hasResourceProperties("AWS::Events::Rule", Map.of(
        "ScheduleExpression", "rate(1 minute)",
        "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", Match.stringLikeRegexp(
            "FunctionsNextLoaderReconcileAlias.*")))))));
  }

  @Test
  void bulkSchedules_invokeBulkLoaderWithScheduleInputInTheirZone() {
    template.resourceCountIs("AWS::Scheduler::Schedule", 2);
    template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
        "ScheduleExpression", "cron(30 1 * * ? *)",
        "ScheduleExpressionTimezone", "Europe/Berlin",
        "Target", Match.objectLike(Map.of("Arn", Map.of("Ref", aliasId(Kind.BULK_LOADER))))));
    template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
        "ScheduleExpression", "cron(0 2 * * ? *)",
        "ScheduleExpressionTimezone", "UTC",
        "Target", Match.objectLike(Map.of("Input", "{\"tables\":[{\"config\":\"events\",\"prefix\":"
            + "\"s3://acme-archive/events/{yesterday:yyyy/MM/dd}/\"}],\"time_zone\":\"UTC\"}"))));
    String orders = template.findResources("AWS::Scheduler::Schedule").toString();
    assertThat(orders).contains("{\"tables\":[{\"config\":\"orders\",\"prefix\":\"s3://")
        .contains("/orders/{yesterday:yyyy/MM/dd}/\"}],\"time_zone\":\"Europe/Berlin\"}");
  }

  // ------------------------------------------------------------------ least privilege

  @Test
  void iam_grantsStarOnlyForOwnStatementDescribesWithOwnerCondition() {
    List<Map<String, Object>> statements = allIamStatements();
    assertThat(statements).isNotEmpty();
    for (Map<String, Object> statement : statements) {
      assertThat(asList(statement.get("Action"))).as("actions of %s", statement).noneMatch(a -> a.equals("*"));
      if (asList(statement.get("Resource")).contains("*")) {
        assertThat(statement.get("Sid")).as("statement with Resource *: %s", statement)
            .isEqualTo(WarehouseAccess.OWN_STATEMENTS_SID);
        assertThat(asList(statement.get("Action")))
            .containsExactlyInAnyOrder("redshift-data:DescribeStatement", "redshift-data:GetStatementResult",
                "redshift-data:ListStatements");
        assertThat(statement.get("Condition").toString())
            .contains(WarehouseAccess.OWNER_CONDITION_KEY).contains("${aws:userid}");
      }
    }
  }

  @Test
  void iam_scopesDataApiAndCredentialsToConfiguredWarehouses() {
    Map<String, String> bySid = new HashMap<>();
    for (Map<String, Object> statement : allIamStatements()) {
      if (statement.get("Sid") != null) {
        bySid.put((String) statement.get("Sid"), statement.toString());
      }
    }
    assertThat(bySid.get("DataApiSubmit")).contains(":cluster:analytics").contains(":cluster:billing")
        .contains("arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/1f2e3d4c-aaaa-bbbb-cccc-123456789012")
        .contains("redshift-data:BatchExecuteStatement").contains("redshift-data:ExecuteStatement")
        .contains("redshift-data:DescribeTable");
    assertThat(bySid.get("ClusterCredentialsAsDbUser")).contains(":dbuser:analytics/mbl_loader")
        .contains(":dbname:analytics/dev").contains("redshift:GetClusterCredentials");
    assertThat(bySid.get("ClusterCredentialsAsRole")).contains(":dbname:analytics/dev")
        .contains("redshift:GetClusterCredentialsWithIAM").doesNotContain("billing");
    assertThat(bySid.get("WorkgroupCredentials")).contains("redshift-serverless:GetCredentials")
        .contains("workgroup/1f2e3d4c-aaaa-bbbb-cccc-123456789012");
    assertThat(bySid.get("WarehouseSecrets")).contains("secretsmanager:GetSecretValue")
        .contains("arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift/loader-AbCdEf]")
        .contains("arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift/billing-??????");
    assertThat(bySid.get("Tracker")).contains("dynamodb:BatchGetItem")
        .contains("dynamodb:ConditionCheckItem").doesNotContain("dynamodb:Scan").doesNotContain("dynamodb:*");
    assertThat(bySid.get("ReadConfigs")).contains("s3:GetObject").contains("/config/*");
    assertThat(bySid.get("WriteManifests")).contains("s3:PutObject").contains("/manifests/*");
  }

  // HeadObject needs s3:GetObject ("HeadObject", Permissions): the loader checks each file's eTag before loading it.
  @Test
  void iam_functionsMayHeadLandingObjectsUnderTheirPrefixesOnly() {
    String reads = allIamStatements().stream().filter(s -> "s3:GetObject".equals(s.get("Action")))
        .map(Object::toString).toList().toString();
    assertThat(reads).contains("acme-landing/clicks/*").contains("acme-landing/events/*")
        .contains("acme-landing/payments/*").doesNotContain("acme-landing/*,");
  }

  @Test
  void iam_listsLandingAndArchivePrefixesOnly() {
    String listings = allIamStatements().stream().filter(s -> "s3:ListBucket".equals(s.get("Action")))
        .map(Object::toString).toList().toString();
    assertThat(listings).contains("s3:prefix=[orders/*]").contains("s3:prefix=[clicks/*]")
        .contains(":s3:::acme-landing").contains("s3:::acme-archive").contains("s3:prefix=[events/*]")
        .contains("s3:prefix=[config/*]");
  }

  @Test
  void configBucket_letsEachCopyRoleReadManifests() {
    String policies = template.findResources("AWS::S3::BucketPolicy").toString();
    assertThat(policies).contains("arn:aws:iam::210987654321:role/redshift-copy")
        .contains("arn:aws:iam::210987654321:role/landing-read").contains(EVENTS_COPY_ROLE)
        .doesNotContain("role/redshift-chain")
        .contains("/manifests/*");
  }

  // ------------------------------------------------------------------ monitoring

  @Test
  void alarms_coverDeadLettersErrorsFreshnessAndLockRepairs() {
    int tables = synth.deployment().tables().size();
    // Per table: DeadLetters, QueueAge, NoLoad, Critical; Stale for each table with expect_new_data_within (orders).
    template.resourceCountIs("AWS::CloudWatch::Alarm", 4 * tables + 1 + Kind.values().length + 5);
    template.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of(
        "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("MonitoringAlarmTopic.*")))));
    for (var table : synth.deployment().tables()) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
          "MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS", "Threshold", 0,
          "ComparisonOperator", "GreaterThanThreshold",
          "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt",
              List.of(logicalIdOfQueue(table.name() + "-dlq"), "QueueName"))))));
      template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
          "AlarmName", "Mbl-" + table.name() + "-NoLoad", "Threshold", 1, "EvaluationPeriods", 2,
          "Metrics", Match.arrayWith(List.of(Match.objectLike(Map.of("MetricStat", Map.of(
              "Metric", Map.of("MetricName", "BatchesLoaded", "Namespace", "mbl/Mbl",
                  "Dimensions", List.of(Map.of("Name", "Table", "Value", table.tableKey()))),
              "Period", table.noLoadAlarmHours() * 1800, "Stat", "Sum")))))));
    }
    for (Kind kind : Kind.values()) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
          "MetricName", "Errors", "Namespace", "AWS/Lambda", "Threshold", 0,
          "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Match.anyValue()))));
    }
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
        "AlarmName", "Mbl-LockRepairs", "MetricName", "LockRepairs", "Namespace", "mbl/Mbl", "Threshold", 0));
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "Mbl-orders-DeadLetters"));
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "Mbl-SetupProblems",
        "MetricName", "SetupProblems", "Period", 900, "Threshold", 2, "ComparisonOperator", "GreaterThanThreshold"));
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "Mbl-ReconcileStopped",
        "MetricName", "Invocations", "ComparisonOperator", "LessThanThreshold", "TreatMissingData", "breaching"));
  }

  @Test
  void metricFilters_readTheJsonLogActions() {
    for (String pattern : List.of(Monitoring.LOADED_PATTERN, Monitoring.LOCK_REPAIR_PATTERN,
        Monitoring.ERROR_LINE_PATTERN, Monitoring.SETUP_PROBLEM_PATTERN)) {
      assertThat(template.findResources("AWS::Logs::MetricFilter", Map.of("Properties",
          Map.of("FilterPattern", pattern)))).as(pattern).hasSize(Kind.values().length);
    }
    template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
        "FilterPattern", Monitoring.LOADED_PATTERN,
        "MetricTransformations", List.of(Map.of("MetricName", "BatchesLoaded", "MetricNamespace", "mbl/Mbl",
            "MetricValue", "1", "Dimensions", List.of(Map.of("Key", "Table", "Value", "$.table"))))));
    assertThat(Monitoring.LOCK_REPAIR_PATTERN).contains("\"rolled-back\"").contains("\"forgotten\"")
        .contains("\"lock-lost\"");
  }

  @Test
  void dashboard_hasAWidgetRowPerTable() {
    String body = template.findResources("AWS::CloudWatch::Dashboard").toString();
    for (var table : synth.deployment().tables()) {
      assertThat(body).contains(table.name() + ": loads (" + table.tableKey() + ")").contains(table.name() + ": queue");
    }
  }

  @Test
  void alarmTopic_enforcesTls() {
    template.resourceCountIs("AWS::SNS::Topic", 1);
    assertThat(template.findResources("AWS::SNS::TopicPolicy").toString()).contains("aws:SecureTransport=false");
  }

  // ------------------------------------------------------------------ cdk-nag

  @Test
  void cdkNag_reportsNoUnsuppressedErrorsOrWarnings() {
    Annotations annotations = Annotations.fromStack(synth.stack());
    assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    assertThat(annotations.findWarning("*", Match.anyValue())).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void nagSuppressions_eachGiveAReasonAndNameTheirRule() {
    List<Map<String, Object>> rules = new ArrayList<>();
    Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
    for (Object resource : resources.values()) {
      Object metadata = ((Map<String, Object>) resource).get("Metadata");
      if (metadata instanceof Map<?, ?> m && m.get("cdk_nag") instanceof Map<?, ?> nag) {
        rules.addAll((List<Map<String, Object>>) nag.get("rules_to_suppress"));
      }
    }
    assertThat(rules).isNotEmpty().allSatisfy(rule -> {
      assertThat((String) rule.get("id")).startsWith("AwsSolutions-");
      assertThat((String) rule.get("reason")).hasSizeGreaterThan(60);
    });
    assertThat(rules).extracting(r -> r.get("id")).doesNotContain("AwsSolutions-SQS2", "AwsSolutions-SQS4",
        "AwsSolutions-DDB3", "AwsSolutions-S10");
  }

  // ------------------------------------------------------------------ helpers

  private static Map<String, Object> environmentOf(Kind kind) {
    Map<String, Object> function = properties(only(template.findResources("AWS::Lambda::Function",
        Map.of("Properties", Map.of("Handler", kind.handler())))));
    @SuppressWarnings("unchecked")
    Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables");
    return env;
  }

  private static String aliasId(Kind kind) {
    return template.findResources("AWS::Lambda::Alias").entrySet().stream()
        .filter(e -> e.getKey().startsWith("Functions" + kind.id() + "Alias")).map(Map.Entry::getKey)
        .findFirst().orElseThrow();
  }

  private static String logicalIdOfQueue(String name) {
    return template.findResources("AWS::SQS::Queue", Map.of("Properties", Map.of("QueueName", name)))
        .keySet().iterator().next();
  }

  private static List<Map<String, Object>> allIamStatements() {
    return statementsOfAll(template.findResources("AWS::IAM::Policy"));
  }
}
