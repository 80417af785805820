package dev.mbl.tracker;

import dev.mbl.load.TableKey;
import java.time.Instant;
import java.util.Objects;

/**
 * The lock of one table: at most one batch at a time may own work items of the table.
 *
 * @param statementId the Data API statement id once submitted; null before
 * @param diagnosisId the diagnostic query's statement id once submitted (phase DIAGNOSING); null otherwise
 * @param checkedAt when the holder last proved it is alive (acquired, advanced, or the reconciler
 *     saw the statement still running)
 */
public record Lock(
    TableKey table, String batchId, LockPhase phase, String statementId, String diagnosisId, Instant leaseUntil,
    Instant checkedAt) {
  public Lock {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }

  public boolean expiredAt(Instant now) {
    return now.isAfter(leaseUntil);
  }
}
