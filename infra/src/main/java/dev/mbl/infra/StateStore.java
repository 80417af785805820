package dev.mbl.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * What the loader keeps: the DynamoDB tracker (ledger, pending work, locks, batches) and the
 * bucket of table configs ({@code config/}) and COPY manifests ({@code manifests/}). Both are
 * retained when the stack is deleted: they are the record of what was loaded.
 */
public final class StateStore extends Construct {
  public static final String PARTITION_KEY = "pk";
  public static final String SORT_KEY = "sk";
  public static final String TTL_ATTRIBUTE = "expires_at";
  public static final String MANIFEST_PREFIX = "manifests/";
  /** DynamoDB deletes expired items up to about two days late; manifests must outlive their batch items. */
  static final int MANIFEST_GRACE_DAYS = 2;

  /**
   * @param deletionProtection whether the tracker table refuses deletion
   * @param retentionDays MBL_RETENTION_DAYS: how long tracker items (and so manifests) are needed
   */
  public record Props(boolean deletionProtection, int retentionDays) {}

  private final Table tracker;
  private final Bucket configBucket;

  public StateStore(Construct scope, String id, Props props) {
    super(scope, id);
    tracker = Table.Builder.create(this, "Tracker")
        .partitionKey(Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
        .sortKey(Attribute.builder().name(SORT_KEY).type(AttributeType.STRING).build())
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .timeToLiveAttribute(TTL_ATTRIBUTE)
        .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
            .pointInTimeRecoveryEnabled(true).build())
        .deletionProtection(props.deletionProtection())
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();

    // A batch may be resubmitted as long as its tracker items exist (docs/operations.md), and its
    // COPY reads the manifest again then: manifests expire only after the tracker has forgotten them.
    configBucket = Bucket.Builder.create(this, "ConfigBucket")
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .enforceSsl(true)
        .encryption(BucketEncryption.S3_MANAGED)
        .versioned(true)
        .removalPolicy(RemovalPolicy.RETAIN)
        .lifecycleRules(List.of(
            LifecycleRule.builder().id("expire-manifests").prefix(MANIFEST_PREFIX)
                .expiration(Duration.days(props.retentionDays() + MANIFEST_GRACE_DAYS))
                .noncurrentVersionExpiration(Duration.days(1)).build(),
            LifecycleRule.builder().id("old-config-versions")
                .noncurrentVersionExpiration(Duration.days(90)).build(),
            // Expired manifests leave delete markers; once their noncurrent version is gone too, the
            // marker is an "expired object delete marker". S3 removes those only when asked, in a rule
            // of its own: ExpiredObjectDeleteMarker "cannot be specified with Days or Date in a
            // Lifecycle Expiration Policy" (Amazon S3 API Reference, LifecycleExpiration).
            LifecycleRule.builder().id("expired-delete-markers").expiredObjectDeleteMarker(true).build(),
            LifecycleRule.builder().id("abort-uploads").abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
        .build();
  }

  public Table tracker() {
    return tracker;
  }

  public Bucket configBucket() {
    return configBucket;
  }
}
