package dev.mbl.tables;

import java.util.Objects;

/**
 * Where a table's files land: an existing bucket, or the one landing bucket the stack creates,
 * and the key prefix (and optional suffix) whose ObjectCreated events feed the table's queue.
 *
 * @param bucket the existing bucket's name; null when {@code create} is true
 * @param create whether the file lands in the stack's own landing bucket
 * @param prefix key prefix, possibly empty; never starts with '/'
 * @param suffix key suffix filter; null when every key under the prefix counts
 */
public record Landing(String bucket, boolean create, String prefix, String suffix) {
  /** The value of {@code landing.bucket} that asks the stack to create the landing bucket. */
  public static final String CREATE = "create";

  public Landing {
    Objects.requireNonNull(prefix, "prefix");
    if (create == (bucket != null)) {
      throw new IllegalArgumentException("give an existing bucket name or create, not both or neither");
    }
  }

  /** Whether S3 would reject both notifications on one bucket as overlapping. */
  public boolean overlaps(Landing other) {
    boolean sameBucket = create ? other.create : bucket.equals(other.bucket);
    boolean prefixesOverlap = prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix);
    String a = suffix == null ? "" : suffix;
    String b = other.suffix == null ? "" : other.suffix;
    return sameBucket && prefixesOverlap && (a.endsWith(b) || b.endsWith(a));
  }

  /** For messages: {@code s3://bucket/prefix} or {@code (created landing bucket)/prefix}. */
  public String describe() {
    return (create ? "(created landing bucket)/" : "s3://" + bucket + "/") + prefix;
  }
}
