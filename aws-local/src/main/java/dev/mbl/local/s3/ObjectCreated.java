package dev.mbl.local.s3;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored object, as S3 reports it in an {@code ObjectCreated} notification.
 *
 * @param eventName {@code ObjectCreated:Put}, {@code ObjectCreated:Copy} or
 *     {@code ObjectCreated:CompleteMultipartUpload}
 * @param bucket the bucket
 * @param key the key, not encoded
 * @param size bytes stored
 * @param eTag the entity tag without quotes
 * @param time when the object was stored
 * @param sequencer S3's hexadecimal ordering of events on one key; later events sort higher
 */
public record ObjectCreated(String eventName, String bucket, String key, long size, String eTag, Instant time,
    String sequencer) {
  public static final String PUT = "ObjectCreated:Put";
  public static final String COPY = "ObjectCreated:Copy";
  public static final String COMPLETE_MULTIPART_UPLOAD = "ObjectCreated:CompleteMultipartUpload";

  public ObjectCreated {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(eTag, "eTag");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(sequencer, "sequencer");
    if (size < 0) {
      throw new IllegalArgumentException("object size is " + size + " for " + bucket + "/" + key + ": must be >= 0");
    }
  }
}
