package dev.mbl.tracker;

import dev.mbl.load.TableKey;

/**
 * A write made on behalf of a batch found that the table lock no longer names that batch (or is
 * no longer in the expected phase): someone repaired or settled it meanwhile. The caller stops
 * working on the batch; nothing it wrote in the failed transaction took effect.
 */
public final class LockLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LockLostException(TableKey table, String batchId, String step) {
    super("batch " + batchId + " of " + table + " no longer holds the table lock at step '" + step
        + "': another loader or the reconciler took over; this attempt stops and changes nothing");
  }
}
