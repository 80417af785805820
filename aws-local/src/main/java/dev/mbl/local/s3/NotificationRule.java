package dev.mbl.local.s3;

import java.util.Objects;

/**
 * One entry of a bucket's notification configuration: {@code ObjectCreated:*} events on keys
 * that start with {@code prefix} and end with {@code suffix} go to one SQS queue.
 *
 * @param id the configuration id S3 puts in each record ({@code s3.configurationId}); not blank
 * @param bucket the bucket; not blank
 * @param prefix key prefix filter; empty matches every key; null means empty
 * @param suffix key suffix filter; empty matches every key; null means empty
 * @param queueUrl where the notification is sent; not blank
 */
public record NotificationRule(String id, String bucket, String prefix, String suffix, String queueUrl) {
  public NotificationRule {
    requireText(id, "id");
    requireText(bucket, "bucket");
    requireText(queueUrl, "queueUrl");
    prefix = prefix == null ? "" : prefix;
    suffix = suffix == null ? "" : suffix;
  }

  /** A rule for every key under {@code prefix}, with a configuration id derived from the queue. */
  public static NotificationRule of(String bucket, String prefix, String queueUrl) {
    String queue = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    return new NotificationRule("mbl-" + queue, bucket, prefix, "", queueUrl);
  }

  /** True when an object created at {@code bucket}/{@code key} (the decoded key) is for this rule. */
  public boolean matches(String bucket, String key) {
    return this.bucket.equals(bucket) && key.startsWith(prefix) && key.endsWith(suffix)
        && key.length() >= prefix.length() + suffix.length();
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException("notification rule " + field + " is blank: give a value");
    }
  }
}
