package dev.mbl.tracker;

import dev.mbl.load.TableKey;
import java.time.Instant;

/**
 * The ledger's record of one file. Nullable: batchId (until claimed), reason (unless
 * quarantined), settledAt (until LOADED or QUARANTINED).
 */
public record LedgerEntry(
    TableKey table, String fileId, String bucket, String key, String versionToken, long size,
    FileState state, String batchId, String reason, Instant arrivedAt, Instant settledAt) {

  public String url() {
    return "s3://" + bucket + "/" + key;
  }
}
