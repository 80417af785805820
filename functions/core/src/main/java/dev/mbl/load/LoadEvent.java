package dev.mbl.load;

/**
 * One thing the protocol did, for the caller to log as one JSON line. Nullable: batchId,
 * statementId, detail.
 *
 * @param action what happened (started, busy, idle, loaded, retry, split, split-wait, quarantined,
 *     requeued, held, diagnosing, diagnosis-failed, rolled-back, still-running, adopted, forgotten,
 *     deferred, ignored, lock-lost, submit-rejected, submit-unknown, error)
 */
public record LoadEvent(String action, TableKey table, String batchId, String statementId, int files, String detail) {
  static LoadEvent of(String action, TableKey table, String batchId, int files, String detail) {
    return new LoadEvent(action, table, batchId, null, files, detail);
  }
}
