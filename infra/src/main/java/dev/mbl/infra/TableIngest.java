package dev.mbl.infra;

import dev.mbl.tables.Landing;
import dev.mbl.tables.SourceMapping;
import dev.mbl.tables.TableSpec;
import java.util.List;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.IAlias;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.NotificationKeyFilter;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.RedriveAllowPolicy;
import software.amazon.awscdk.services.sqs.RedrivePermission;
import software.constructs.Construct;

/**
 * One table's way in: S3 ObjectCreated notifications on its landing prefix go to its queue (named
 * after the table, which names its config), and the queue feeds MicrobatchLoader's alias.
 * Messages that fail {@link #MAX_RECEIVE_COUNT} times move to the dead-letter queue.
 */
public final class TableIngest extends Construct {
  public static final int MAX_RECEIVE_COUNT = 5;
  /** AWS's advice for SQS event sources: visibility of at least six function timeouts (plus the batching window). */
  public static final int VISIBILITY_TIMEOUTS = 6;
  static final Duration MESSAGE_RETENTION = Duration.days(14);

  /**
   * @param table the table
   * @param landingBucket the bucket its files land in (created or imported by the stack)
   * @param loader MicrobatchLoader's alias
   * @param loaderTimeout MicrobatchLoader's timeout
   */
  public record Props(TableSpec table, IBucket landingBucket, IAlias loader, Duration loaderTimeout) {}

  private final Queue queue;
  private final Queue deadLetters;
  private final long visibilityTimeoutSeconds;

  public TableIngest(Construct scope, String id, Props props) {
    super(scope, id);
    TableSpec table = props.table();
    SourceMapping mapping = table.mapping();
    // Only this table's queue may dead-letter here. The ARN is built from the queue's name: the
    // queue refers to this one, so referring back would be a circular dependency.
    String queueArn = Stack.of(this).formatArn(ArnComponents.builder().service("sqs").resource(table.name())
        .arnFormat(ArnFormat.NO_RESOURCE_NAME).build());
    deadLetters = Queue.Builder.create(this, "DeadLetters")
        .queueName(table.name() + TableSpec.DLQ_SUFFIX)
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .retentionPeriod(MESSAGE_RETENTION)
        .redriveAllowPolicy(RedriveAllowPolicy.builder().redrivePermission(RedrivePermission.BY_QUEUE)
            .sourceQueues(List.of(Queue.fromQueueArn(this, "Source", queueArn))).build())
        .build();
    long visibility = props.loaderTimeout().toSeconds().longValue() * VISIBILITY_TIMEOUTS
        + mapping.maxBatchingWindow().toSeconds();
    visibilityTimeoutSeconds = visibility;
    queue = Queue.Builder.create(this, "Queue")
        .queueName(table.name())
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .visibilityTimeout(Duration.seconds(visibility))
        .retentionPeriod(MESSAGE_RETENTION)
        .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVE_COUNT).build())
        .build();

    Landing landing = table.landing();
    NotificationKeyFilter.Builder filter = NotificationKeyFilter.builder();
    if (!landing.prefix().isEmpty()) {
      filter.prefix(landing.prefix());
    }
    if (landing.suffix() != null) {
      filter.suffix(landing.suffix());
    }
    props.landingBucket().addEventNotification(EventType.OBJECT_CREATED, new AccountScopedSqsDestination(queue),
        filter.build());

    SqsEventSource.Builder source = SqsEventSource.Builder.create(queue)
        .batchSize(mapping.batchSize())
        .reportBatchItemFailures(true)
        .maxConcurrency(mapping.maxConcurrency());
    if (!mapping.maxBatchingWindow().isZero()) {
      source.maxBatchingWindow(Duration.seconds(mapping.maxBatchingWindow().toSeconds()));
    }
    props.loader().addEventSource(source.build());
  }

  public Queue queue() {
    return queue;
  }

  /** How long a received message stays invisible: a failed one is redelivered only after this. */
  public long visibilityTimeoutSeconds() {
    return visibilityTimeoutSeconds;
  }

  public Queue deadLetters() {
    return deadLetters;
  }
}
