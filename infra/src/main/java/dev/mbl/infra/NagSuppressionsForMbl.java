package dev.mbl.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.IConstruct;

/**
 * The cdk-nag (AwsSolutions) findings this stack accepts, each with the reason it is right here.
 * Everything else must pass: the tests assert zero unsuppressed errors.
 */
final class NagSuppressionsForMbl {
  static final String BASIC_EXECUTION_ROLE =
      "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

  private NagSuppressionsForMbl() {}

  static void apply(Stack stack, LoaderFunctions functions, StateStore state, Bucket landing) {
    NagSuppressions.addResourceSuppressions(functions.role(), List.of(
        suppress("AwsSolutions-IAM5", "The loader reads any table's config: configs are objects config/<queue name>.json "
            + "and a table added to tables.json must work without a new grant; only GetObject, only under config/.",
            regex("^Resource::<StateConfigBucket[0-9A-F]+\\.Arn>/config/\\*$")),
        suppress("AwsSolutions-IAM5", "Each batch writes one manifest manifests/<table key>/<batch id>.manifest whose "
            + "name is only known at run time; only PutObject, only under manifests/.",
            regex("^Resource::<StateConfigBucket[0-9A-F]+\\.Arn>/manifests/\\*$")),
        suppress("AwsSolutions-IAM5", "Before loading a file the loader asks S3 for its current eTag (HeadObject, "
            + "which needs s3:GetObject) so an overwritten version is never loaded under its old entry; file names are "
            + "only known at run time; only GetObject, only under each table's landing (and bulk) prefix.",
            regex("^Resource::(arn:<AWS::Partition>:s3:::[a-z0-9.-]+|<LandingBucket[0-9A-F]+\\.Arn>)/[^*]*\\*$")),
        suppress("AwsSolutions-IAM5", "redshift-data:DescribeStatement, GetStatementResult and ListStatements "
            + "support no resource-level permissions; the statement carries AWS's documented condition redshift-data:statement-owner-iam-userid "
            + "so only statements submitted by this role are visible.", "Resource::*")), true);

    for (LoaderFunctions.Kind kind : LoaderFunctions.Kind.values()) {
      NagSuppressions.addResourceSuppressions(functions.function(kind), List.of(suppress("AwsSolutions-L1",
          "mbl's jar is built and tested for Java 17 bytecode on the java21 runtime with SnapStart; moving to a newer "
              + "runtime is a deliberate, tested change (one line in LoaderFunctions), not an automatic one.")), true);
    }
    NagSuppressions.addResourceSuppressions(functions.asyncFailures(), List.of(suppress("AwsSolutions-SQS3",
        "This queue IS the dead-letter queue: Lambda on-failure destination of NextLoader and BulkLoader and the "
            + "EventBridge/Scheduler DLQ; it has an alarm on any message.")), true);

    NagSuppressions.addResourceSuppressions(state.configBucket(), List.of(suppress("AwsSolutions-S1",
        "Holds only table configs (written by this stack's deployment) and COPY manifests (written by the loader "
            + "role, expired by lifecycle); every manifest is recorded in the tracker with its batch. Server access "
            + "logs would need a further bucket; enable CloudTrail S3 data events if an audit requires it.")), true);
    if (landing != null) {
      NagSuppressions.addResourceSuppressions(landing, List.of(suppress("AwsSolutions-S1",
          "Every object created here reaches the table's queue and is ledgered in the tracker with bucket, key, "
              + "eTag and time; reads happen only through Redshift COPY, which records loads in the history table. "
              + "Enable CloudTrail S3 data events if an audit requires request-level logs.")), true);
    }

    for (IConstruct child : stack.getNode().getChildren()) {
      String id = child.getNode().getId();
      if (id.startsWith("Custom::CDKBucketDeployment")) {
        NagSuppressions.addResourceSuppressions(child, List.of(
            suppress("AwsSolutions-IAM4", "CDK's BucketDeployment handler (uploads config/<queue>.json at deploy time) "
                + "logs through the basic execution role; it runs only during deployments.", BASIC_EXECUTION_ROLE),
            suppress("AwsSolutions-IAM5", "CDK's BucketDeployment handler copies the config asset from the CDK "
                + "bootstrap bucket to the config bucket and prunes removed configs: CDK generates these grants, "
                + "limited to those two buckets."),
            suppress("AwsSolutions-L1", "The BucketDeployment handler's runtime is pinned by aws-cdk-lib and moves "
                + "with CDK upgrades.")), true);
      } else if (id.startsWith("BucketNotificationsHandler")) {
        NagSuppressions.addResourceSuppressions(child, List.of(
            suppress("AwsSolutions-IAM4", "CDK's bucket-notifications handler (adds the landing prefixes' "
                + "ObjectCreated -> SQS notifications at deploy time) logs through the basic execution role; its "
                + "S3 grant is PutBucketNotification on the landing buckets only.", BASIC_EXECUTION_ROLE),
            suppress("AwsSolutions-L1", "The notifications handler's runtime is pinned by aws-cdk-lib.")), true);
      }
    }
  }

  private static NagPackSuppression suppress(String id, String reason, Object... appliesTo) {
    NagPackSuppression.Builder builder = NagPackSuppression.builder().id(id).reason(reason);
    if (appliesTo.length > 0) {
      builder.appliesTo(List.of(appliesTo));
    }
    return builder.build();
  }

  private static RegexAppliesTo regex(String pattern) {
    return RegexAppliesTo.builder().regex("/" + pattern + "/g").build();
  }
}
