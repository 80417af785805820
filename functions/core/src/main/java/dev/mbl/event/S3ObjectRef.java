package dev.mbl.event;

import java.util.Objects;

/**
 * One S3 object version as a notification names it.
 *
 * @param bucket the bucket name
 * @param key the object key, already URL-decoded
 * @param size the object size in bytes (0 when the event did not say)
 * @param eTag the entity tag without quotes; null when the event did not say
 * @param versionId the version id of a versioned bucket; null otherwise
 * @param sequencer S3's sequencer, used to order events for one key; null when absent
 */
public record S3ObjectRef(String bucket, String key, long size, String eTag, String versionId, String sequencer) {
  public S3ObjectRef {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (bucket.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException("an S3 object needs a bucket and a key (got s3://" + bucket + "/" + key + ")");
    }
    if (size < 0) {
      throw new IllegalArgumentException("object s3://" + bucket + "/" + key + " has a negative size " + size);
    }
    if (eTag != null) {
      eTag = eTag.replace("\"", "");
    }
  }

  /** {@code s3://bucket/key}. */
  public String url() {
    return "s3://" + bucket + "/" + key;
  }

  /**
   * What makes this object version distinct: its eTag (the same bytes under the same key are
   * the same file, whichever path reported them: an event, a listing, a versioned bucket), else
   * the version id, else the sequencer. Re-uploading identical bytes is therefore a duplicate;
   * reloading on purpose goes through BulkLoader with {@code force}.
   */
  public String versionToken() {
    if (eTag != null && !eTag.isEmpty()) {
      return "e:" + eTag;
    }
    if (versionId != null && !versionId.isEmpty() && !"null".equals(versionId)) {
      return "v:" + versionId;
    }
    return sequencer != null ? "s:" + sequencer : "-";
  }
}
