package dev.mbl.config;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a queue's table config: one queue per target table, its config at
 * {@code s3://{bucket}/{prefix}{queue name}.json}. The prefix is used as given (include the
 * trailing '/' for a folder); null means none.
 */
public record QueueConfigLocator(String bucket, String prefix) {
  private static final Pattern SQS_ARN =
      Pattern.compile("arn:aws(?:-[a-z]+)*:sqs:[a-z0-9-]+:\\d{12}:([A-Za-z0-9_-]{1,80}(?:\\.fifo)?)");

  public QueueConfigLocator {
    Objects.requireNonNull(bucket, "bucket");
    if (bucket.isBlank() || bucket.contains("/")) {
      throw new IllegalArgumentException("config bucket '" + bucket + "' is not a bucket name: give the name only, "
          + "without s3:// or a key");
    }
    prefix = prefix == null ? "" : prefix;
    if (prefix.startsWith("/")) {
      throw new IllegalArgumentException("config prefix '" + prefix + "' starts with '/': S3 keys do not; remove it");
    }
  }

  /**
   * The config of the queue an SQS record came from.
   *
   * @param eventSourceArn the record's {@code eventSourceARN}, e.g.
   *     {@code arn:aws:sqs:eu-west-1:123456789012:orders}
   * @throws IllegalArgumentException when the ARN is not an SQS queue ARN
   */
  public ConfigRef forQueueArn(String eventSourceArn) {
    Matcher queue = eventSourceArn == null ? null : SQS_ARN.matcher(eventSourceArn);
    if (queue == null || !queue.matches()) {
      throw new IllegalArgumentException("event source '" + (eventSourceArn == null ? "null"
          : Problems.shown(eventSourceArn)) + "' is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>): "
          + "the config is found by the name of the queue the message came from");
    }
    return ConfigRef.s3(bucket, prefix + queue.group(1) + ".json");
  }
}
