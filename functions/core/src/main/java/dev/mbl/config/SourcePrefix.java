package dev.mbl.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a table's files may come from ({@code options.sources}): a bucket and a key prefix
 * (possibly empty). A file from anywhere else is refused, never loaded.
 */
public record SourcePrefix(String bucket, String prefix) {
  /** S3's bucket naming rules ("General purpose bucket naming rules"): 3 to 63 of a-z, 0-9, '.', '-'. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public SourcePrefix {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    if (!BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("'" + bucket + "' is no S3 bucket name (3 to 63 characters: a-z, 0-9, '.',"
          + " '-'; starting and ending with a letter or digit)");
    }
    if (prefix.startsWith("/")) {
      throw new IllegalArgumentException("key prefix '" + prefix + "' starts with '/': S3 keys do not; write "
          + "s3://" + bucket + "/" + prefix.substring(1));
    }
    if (prefix.contains("*") || prefix.contains("{")) {
      throw new IllegalArgumentException("key prefix '" + prefix + "' holds a wildcard or placeholder: give the "
          + "literal prefix the files' keys start with");
    }
  }

  /** Parses {@code s3://bucket/prefix} (the prefix may be empty: {@code s3://bucket/}). */
  public static SourcePrefix parse(String url) {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("s3://")) {
      throw new IllegalArgumentException("'" + url + "' is no s3:// URL; write s3://bucket/prefix/");
    }
    String rest = url.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? new SourcePrefix(rest, "") : new SourcePrefix(rest.substring(0, slash), rest.substring(slash + 1));
  }

  public boolean contains(String objectBucket, String key) {
    return bucket.equals(objectBucket) && key.startsWith(prefix);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
