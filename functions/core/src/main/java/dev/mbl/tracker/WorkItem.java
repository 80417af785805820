package dev.mbl.tracker;

import dev.mbl.config.ConfigRef;
import java.util.Objects;

/**
 * One file waiting for (or claimed by) a load of its table, in arrival order.
 *
 * @param sortKey the item's sort key, {@code WORK#<arrival millis>#<file id>}
 * @param fileId the file's id in the ledger
 * @param bucket the object's bucket
 * @param key the object's key
 * @param size the object's size in bytes
 * @param config where the table config for this file comes from
 * @param batchId the batch that claimed it; null while pending
 * @param attempts failed transient attempts so far
 * @param notBeforeMillis epoch millis before which it must not be claimed (0 = any time)
 * @param group the split group of a batch being bisected after a data error; null otherwise
 * @param versionToken the ledgered version ({@code e:<eTag>}, ...); null on items written before
 *     mbl recorded it
 */
public record WorkItem(
    String sortKey, String fileId, String bucket, String key, long size, ConfigRef config,
    String batchId, int attempts, long notBeforeMillis, String group, String versionToken) {

  /** An item without a recorded version token. */
  public WorkItem(String sortKey, String fileId, String bucket, String key, long size, ConfigRef config,
      String batchId, int attempts, long notBeforeMillis, String group) {
    this(sortKey, fileId, bucket, key, size, config, batchId, attempts, notBeforeMillis, group, null);
  }

  public WorkItem {
    Objects.requireNonNull(sortKey, "sortKey");
    Objects.requireNonNull(fileId, "fileId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(config, "config");
  }

  public String url() {
    return "s3://" + bucket + "/" + key;
  }

  public boolean eligibleAt(long nowMillis) {
    return batchId == null && notBeforeMillis <= nowMillis;
  }
}
