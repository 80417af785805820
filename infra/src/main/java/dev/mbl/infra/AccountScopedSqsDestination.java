package dev.mbl.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.interfaces.s3.IBucketRef;
import software.amazon.awscdk.services.iam.AddToResourcePolicyResult;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationConfig;
import software.amazon.awscdk.services.s3.BucketNotificationDestinationType;
import software.amazon.awscdk.services.s3.IBucketNotificationDestination;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * An S3 event notification to a queue whose policy lets S3 send only for this bucket AND this
 * account: CDK's {@code SqsDestination} checks {@code aws:SourceArn} alone, and a bucket ARN holds
 * no account, so AWS's example queue policy adds {@code aws:SourceAccount} (the bucket owner) against
 * the confused deputy ("Granting permissions to publish event notification messages to a
 * destination", Amazon S3 User Guide). The landing bucket must therefore belong to the stack's
 * account (docs/deploy.md).
 */
final class AccountScopedSqsDestination implements IBucketNotificationDestination {
  static final List<String> ACTIONS = List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");

  private final IQueue queue;

  AccountScopedSqsDestination(IQueue queue) {
    this.queue = queue;
  }

  @Override
  public BucketNotificationDestinationConfig bind(Construct scope, IBucketRef bucket) {
    AddToResourcePolicyResult added = queue.addToResourcePolicy(PolicyStatement.Builder.create()
        .sid("S3NotificationsOfLandingBucket")
        .effect(Effect.ALLOW)
        .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
        .actions(ACTIONS)
        .resources(List.of(queue.getQueueArn()))
        .conditions(Map.of(
            "ArnLike", Map.of("aws:SourceArn", bucket.getBucketRef().getBucketArn()),
            "StringEquals", Map.of("aws:SourceAccount", Stack.of(scope).getAccount())))
        .build());
    BucketNotificationDestinationConfig.Builder config = BucketNotificationDestinationConfig.builder()
        .arn(queue.getQueueArn())
        .type(BucketNotificationDestinationType.QUEUE);
    // S3 checks that it may send before it accepts the notification: the policy must exist first.
    if (added.getPolicyDependable() != null) {
      config.dependencies(List.of(added.getPolicyDependable()));
    }
    return config.build();
  }
}
