package dev.mbl.infra;

import static dev.mbl.infra.TemplateJson.properties;
import static dev.mbl.infra.TemplateJson.statementsOfAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.infra.LoaderFunctions.Kind;
import dev.mbl.tracker.DynamoDbTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the Template tests of a valid stack cannot see but a real account would: alarms that cannot
 * publish, principals and actions that do not exist, alarms that fire by themselves, prefixes the
 * role cannot list, and a stack too big for CloudFormation.
 */
class DeploySafetyTest {
  static final String COPY_ROLE = "arn:aws:iam::210987654321:role/mbl-copy";

  @TempDir
  static Path work;

  static Synth synth;
  static Template template;

  @BeforeAll
  static void synthesize() {
    synth = Synth.of(Path.of("src/test/resources/tables/all-auth.json"), work,
        Map.of("copyRoleArn", COPY_ROLE, "landingExpirationDays", "45"));
    template = synth.template();
  }

  // "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?" (AWS Knowledge
  // Center): a topic policy replaces the default one, so CloudWatch needs its own Allow.
  @Test
  void alarmTopic_letsThisStacksAlarmsPublishBesideTheTlsDeny() {
    List<Map<String, Object>> statements = statementsOfAll(template.findResources("AWS::SNS::TopicPolicy"));
    assertThat(statements).anySatisfy(s -> assertThat(s).containsEntry("Effect", "Deny"));
    Map<String, Object> publish = statements.stream()
        .filter(s -> Monitoring.ALARMS_PUBLISH_SID.equals(s.get("Sid"))).findFirst().orElseThrow();
    assertThat(publish).containsEntry("Effect", "Allow").containsEntry("Action", "sns:Publish")
        .containsEntry("Principal", Map.of("Service", "cloudwatch.amazonaws.com"));
    String condition = publish.get("Condition").toString();
    assertThat(condition).contains("StringEquals={aws:SourceAccount={Ref=AWS::AccountId}}")
        .contains("ArnLike={aws:SourceArn=").contains(":alarm:Mbl-*");
    for (Map<String, Object> alarm : template.findResources("AWS::CloudWatch::Alarm").values()) {
      assertThat((String) properties(alarm).get("AlarmName")).startsWith("Mbl-");
    }
  }

  @Test
  void bulkPrefixOutsideLanding_isListableByTheRoleAndReadableByTheCopyRole() throws IOException {
    Path tables = work.resolve("bulk-outside.json");
    Files.writeString(tables, """
        {"tables": [{"name": "orders", "landing": {"bucket": "create", "prefix": "incoming/orders/"},
          "config": {"copy": {"options": "FORMAT AS CSV", "role_arn": "arn:aws:iam::210987654321:role/redshift-copy",
                              "table_name": "public.orders"},
                     "cluster": {"identifier": "analytics", "db_name": "dev"}},
          "bulk": {"schedule": "cron(30 1 * * ? *)", "prefix": "archive/orders/{yesterday:yyyy/MM/dd}/"}}]}""");
    Template bulk = Synth.of(tables, Files.createDirectories(work.resolve("bulk")), Map.of()).template();

    String listings = statementsOfAll(bulk.findResources("AWS::IAM::Policy")).stream()
        .filter(s -> "s3:ListBucket".equals(s.get("Action"))).toList().toString();
    assertThat(listings).contains("s3:prefix=[incoming/orders/*, archive/orders/*]");
    String readers = bulk.findResources("AWS::S3::BucketPolicy").toString();
    assertThat(readers).contains("/incoming/orders/*").contains("/archive/orders/*");
  }

  @Test
  void snapStartSwitch_off_leavesItOutOfEveryFunction() throws IOException {
    Template off = Synth.of(Path.of("src/test/resources/tables/all-auth.json"),
        Files.createDirectories(work.resolve("snap-off")), Map.of("copyRoleArn", COPY_ROLE, "snapStart", "false"))
        .template();
    off.allResourcesProperties("AWS::Lambda::Function", Map.of("SnapStart", Match.absent()));
    off.resourceCountIs("AWS::Lambda::Alias", 4);
  }

  // "Improving startup performance with Lambda SnapStart", Supported Regions.
  @Test
  void snapStart_inARegionWithoutIt_warnsAtSynthNamingTheSwitch() throws IOException {
    Synth taipei = Synth.of(Path.of("src/test/resources/tables/all-auth.json"),
        Files.createDirectories(work.resolve("taipei")), Map.of("copyRoleArn", COPY_ROLE),
        Environment.builder().region("ap-east-2").build());
    assertThat(Annotations.fromStack(taipei.stack()).findWarning("*",
        Match.stringLikeRegexp(".*SnapStart is not available in ap-east-2.*-c snapStart=false.*"))).hasSize(1);
    assertThat(Annotations.fromStack(synth.stack()).findWarning("*", Match.stringLikeRegexp(".*SnapStart.*")))
        .isEmpty();
  }

  // cfn-lint W3037; "Using IAM with DynamoDB transactions": item actions authorise a transaction.
  @Test
  void trackerGrant_hasOnlyRealIamActionsAndEveryOtherTrackerAction() {
    Map<String, Object> tracker = statementsOfAll(template.findResources("AWS::IAM::Policy")).stream()
        .filter(s -> "Tracker".equals(s.get("Sid"))).findFirst().orElseThrow();
    List<Object> actions = TemplateJson.asList(tracker.get("Action"));
    assertThat(actions).doesNotContain("dynamodb:TransactWriteItems")
        .contains("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem");
    List<String> expected = new ArrayList<>(DynamoDbTracker.IAM_ACTIONS);
    expected.removeAll(LoaderFunctions.NOT_IAM_ACTIONS);
    assertThat(actions).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void reconcileSchedule_hasNoAsyncRetriesNorFailureDestination() {
    Map<String, Map<String, Object>> configs = template.findResources("AWS::Lambda::EventInvokeConfig");
    assertThat(configs).hasSize(3);
    configs.forEach((id, config) -> {
      if (id.startsWith("FunctionsNextLoaderReconcileAlias")) {
        assertThat(properties(config)).containsEntry("MaximumRetryAttempts", 0).doesNotContainKey("DestinationConfig");
      } else {
        // NextLoader's status events and BulkLoader's runs still retry into AsyncFailures (live aliases).
        assertThat(id).matches("Functions(NextLoader|BulkLoader)AliasEventInvokeConfig.*");
        assertThat(properties(config).get("DestinationConfig").toString()).contains("FunctionsAsyncFailures");
      }
    });
    template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(1 minute)",
        "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", Match.stringLikeRegexp(
            "FunctionsNextLoaderReconcileAlias.*")), "RetryPolicy", Map.of("MaximumRetryAttempts", 0))))));
  }

  @Test
  void queueAgeAlarm_allowsOneVisibilityTimeoutForAMessageThatFailedOnce() {
    for (var table : synth.deployment().tables()) {
      Map<String, Object> queue = properties(TemplateJson.only(template.findResources("AWS::SQS::Queue",
          Map.of("Properties", Map.of("QueueName", table.name())))));
      long visibility = ((Number) queue.get("VisibilityTimeout")).longValue();
      Map<String, Object> alarm = properties(TemplateJson.only(template.findResources("AWS::CloudWatch::Alarm",
          Map.of("Properties", Map.of("AlarmName", "Mbl-" + table.name() + "-QueueAge")))));
      assertThat(((Number) alarm.get("Threshold")).longValue()).isEqualTo(visibility + 15 * 60);
    }
  }

  // "Configuring how CloudWatch alarms treat missing data": no data is not breaching.
  @Test
  void noLoadAlarm_staysOkWhileNothingStarted() {
    for (var table : synth.deployment().tables()) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
          "AlarmName", "Mbl-" + table.name() + "-NoLoad",
          "TreatMissingData", "notBreaching", "EvaluationPeriods", 2, "DatapointsToAlarm", 2,
          "ComparisonOperator", "GreaterThanOrEqualToThreshold",
          "Metrics", Match.arrayWith(List.of(
              Match.objectLike(Map.of("Expression", Monitoring.NO_LOAD_EXPRESSION)),
              Match.objectLike(Map.of("MetricStat", Match.objectLike(Map.of("Metric", Match.objectLike(
                  Map.of("MetricName", "BatchesStarted"))))))))));
    }
  }

  @Test
  void s3ToSqsQueuePolicies_requireTheSourceAccountAndTheBucket() {
    List<Map<String, Object>> fromS3 = statementsOfAll(template.findResources("AWS::SQS::QueuePolicy")).stream()
        .filter(s -> Map.of("Service", "s3.amazonaws.com").equals(s.get("Principal"))).toList();
    assertThat(fromS3).hasSize(synth.deployment().tables().size()).allSatisfy(s -> assertThat(
        s.get("Condition").toString()).contains("aws:SourceAccount={Ref=AWS::AccountId}").contains("aws:SourceArn="));
  }

  @Test
  void buckets_expireLandedFilesAsConfiguredAndExpiredDeleteMarkersOfTheVersionedOne() {
    template.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules",
        Match.arrayWith(List.of(Match.objectLike(Map.of("Id", "expire-landed-files", "ExpirationInDays", 45))))),
        "VersioningConfiguration", Match.absent()));
    // "ExpiredObjectDeleteMarker ... cannot be specified with Days or Date" (S3 API, LifecycleExpiration).
    template.hasResourceProperties("AWS::S3::Bucket", Map.of("VersioningConfiguration", Map.of("Status", "Enabled"),
        "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(Match.objectLike(Map.of(
            "Id", "expired-delete-markers", "ExpiredObjectDeleteMarker", true, "ExpirationInDays", Match.absent())))))));
  }

  // "AWS CloudFormation quotas": 500 resources per stack.
  @Test
  void tooManyTables_failSynthBeforeCloudFormationsResourceLimit() throws IOException {
    StringBuilder tables = new StringBuilder("{\"tables\": [");
    for (int i = 0; i < 60; i++) {
      tables.append(i == 0 ? "" : ",").append("{\"name\": \"t").append(i).append("\", \"landing\": {\"bucket\": \"create\", ")
          .append("\"prefix\": \"t").append(i).append("/\"}, \"config\": {\"copy\": {\"options\": \"FORMAT AS CSV\", ")
          .append("\"role_arn\": \"arn:aws:iam::210987654321:role/copy\", \"table_name\": \"public.t").append(i)
          .append("\"}, \"cluster\": {\"identifier\": \"analytics\", \"db_name\": \"dev\"}}}");
    }
    Path file = work.resolve("sixty.json");
    Files.writeString(file, tables.append("]}"));

    assertThatThrownBy(() -> Synth.of(file, Files.createDirectories(work.resolve("sixty")), Map.of()))
        .hasMessageContaining("CloudFormation allows 500 per stack")
        .hasMessageContaining("for 60 tables")
        .hasMessageContaining("-c tables=tables-a.json -c stackName=MblA");
    assertThat(ResourceLimit.count(synth.stack())).as("the five-table stack").isLessThan(ResourceLimit.MAX_RESOURCES);
  }
}
