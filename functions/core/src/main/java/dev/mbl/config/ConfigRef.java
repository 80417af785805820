package dev.mbl.config;

import java.util.Objects;

/**
 * Where a table config comes from, kept with every pending file so that whoever starts the load
 * later (another Lambda, the reconciler) can find the same config again.
 *
 * <p>Forms: {@code s3://bucket/key} for a config object, {@code inline:<sha256>} for a config
 * given inline (BulkLoader's seed input), stored in the tracker under that hash.
 */
public record ConfigRef(String value) {
  public ConfigRef {
    Objects.requireNonNull(value, "value");
    if (!value.startsWith("s3://") && !value.startsWith("inline:")) {
      throw new IllegalArgumentException("config reference '" + value + "' must start with s3:// or inline:");
    }
  }

  public static ConfigRef s3(String bucket, String key) {
    return new ConfigRef("s3://" + bucket + "/" + key);
  }

  public static ConfigRef inline(String sha256) {
    return new ConfigRef("inline:" + sha256);
  }

  public boolean isInline() {
    return value.startsWith("inline:");
  }

  /** The bucket of an {@code s3://} reference. */
  public String bucket() {
    String rest = value.substring("s3://".length());
    return rest.substring(0, rest.indexOf('/'));
  }

  /** The key of an {@code s3://} reference, or the hash of an inline one. */
  public String key() {
    if (isInline()) {
      return value.substring("inline:".length());
    }
    String rest = value.substring("s3://".length());
    return rest.substring(rest.indexOf('/') + 1);
  }

  @Override
  public String toString() {
    return value;
  }
}
