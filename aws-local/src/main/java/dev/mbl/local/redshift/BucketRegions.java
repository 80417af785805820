package dev.mbl.local.redshift;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the emulated warehouse and each S3 bucket are. S3Proxy has no regions, so a bucket is in
 * the warehouse's region unless a test places it elsewhere. COPY checks its resources against it
 * ("COPY from Amazon S3": without REGION the data must be in the cluster's region; with REGION
 * every resource, the manifest included, must be in that region). Thread-safe.
 */
final class BucketRegions {
  private final String warehouseRegion;
  private final Map<String, String> buckets = new ConcurrentHashMap<>();

  BucketRegions(String warehouseRegion) {
    this.warehouseRegion = requireRegion(warehouseRegion);
  }

  String warehouseRegion() {
    return warehouseRegion;
  }

  void place(String bucket, String region) {
    Objects.requireNonNull(bucket, "bucket");
    buckets.put(bucket, requireRegion(region));
  }

  String regionOf(String bucket) {
    return buckets.getOrDefault(bucket, warehouseRegion);
  }

  /**
   * Fails as Redshift does when {@code bucket} is not in {@code expected} (the COPY's REGION, or
   * the warehouse's region): S3 answers 301 PermanentRedirect, which COPY reports as an
   * S3ServiceException. AWS documents the rule, not COPY's text; this is S3's documented
   * PermanentRedirect message in the form COPY reports S3 errors.
   */
  void check(String bucket, String expected, String url) {
    String actual = regionOf(bucket);
    if (!actual.equals(expected)) {
      throw new CopyFailedException("S3ServiceException:The bucket you are attempting to access must be addressed "
          + "using the specified endpoint. Please send all future requests to this endpoint.,Status 301,"
          + "Error PermanentRedirect,Rid local,CanRetry 1 Details: error: " + url + " is in bucket " + bucket
          + " in region " + actual + ", not in " + expected);
    }
  }

  private static String requireRegion(String region) {
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException("region must look like us-east-1, not " + region);
    }
    return region.toLowerCase(Locale.ROOT);
  }
}
