package dev.mbl.config;

/**
 * No config exists where a {@link ConfigRef} points: no S3 object (or bucket), or no inline
 * config stored under the hash. The message says where it looked and what to upload.
 */
public final class ConfigNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ConfigRef ref;

  public ConfigNotFoundException(ConfigRef ref, String message) {
    super(message);
    this.ref = ref;
  }

  static ConfigNotFoundException s3(ConfigRef ref, boolean bucketMissing) {
    String what = bucketMissing
        ? "bucket '" + ref.bucket() + "' does not exist"
        : "there is no object '" + ref.key() + "' in bucket '" + ref.bucket() + "'";
    return new ConfigNotFoundException(ref, "config " + ref + " was not found: " + what
        + "; fix: upload the table's config JSON to " + ref + " (see config-samples/orders.json)");
  }

  static ConfigNotFoundException inline(ConfigRef ref) {
    return new ConfigNotFoundException(ref, "config " + ref + " was not found: no inline config is stored "
        + "under that hash; fix: run the bulk load again with its config so it is stored again");
  }

  /** Where the config was looked for. */
  public ConfigRef ref() {
    return ref;
  }
}
