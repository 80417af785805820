package dev.mbl.health;

import dev.mbl.load.TableKey;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.Lock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the tracker, the queue and the config say about one table at one moment: the input of
 * {@link HealthRules}. Read by {@link HealthReader}; built directly in tests.
 *
 * @param pending files waiting (not claimed by a batch)
 * @param eligible pending files whose back-off has passed (a load could take them now)
 * @param oldestPendingArrival arrival of the oldest pending file; null when none is pending
 * @param oldestEligibleSince since when eligible files wait with no load started: the latest of when the
 *     longest-waiting one became eligible and when the newest batch started; null when none is eligible
 * @param backingOff pending files waiting out a back-off after transient failures
 * @param highestAttempt the highest failed-attempt count among pending files
 * @param lock the table lock; null when free
 * @param runningBatch the batch holding the lock; null when free or its record is gone
 * @param heldError Redshift's text when the latest finished batch was held on a setup problem and
 *     files still wait; null otherwise
 * @param quarantined files quarantined since the last acknowledgement ({@code mbl ack})
 * @param latestQuarantinedUrl the newest of them; null when none
 * @param latestQuarantineReason its reason; null when none
 * @param lastLoadedAt when the latest batch loaded; null when none is on record
 * @param dlqDepth messages in the table queue's dead-letter queue; null when not read
 * @param expectNewDataWithin the config's freshness expectation; null when not set
 * @param loadedInWindow files loaded within the metrics window
 * @param quarantinedInWindow files quarantined within the metrics window
 */
public record TableSnapshot(
    TableKey table, int pending, int eligible, Instant oldestPendingArrival, Instant oldestEligibleSince,
    int backingOff, int highestAttempt, Lock lock, BatchRecord runningBatch, String heldError, int quarantined,
    String latestQuarantinedUrl, String latestQuarantineReason, Instant lastLoadedAt, Integer dlqDepth,
    Duration expectNewDataWithin, int loadedInWindow, int quarantinedInWindow) {

  public TableSnapshot {
    Objects.requireNonNull(table, "table");
    if (pending < 0 || eligible < 0 || backingOff < 0 || quarantined < 0 || loadedInWindow < 0
        || quarantinedInWindow < 0) {
      throw new IllegalArgumentException("snapshot of " + table + " has a negative count");
    }
    if (eligible > pending || backingOff > pending) {
      throw new IllegalArgumentException("snapshot of " + table + ": eligible " + eligible + " and backing off "
          + backingOff + " cannot exceed pending " + pending);
    }
  }

  /** A table with nothing on record. */
  public static TableSnapshot empty(TableKey table) {
    return new TableSnapshot(table, 0, 0, null, null, 0, 0, null, null, null, 0, null, null, null, null, null, 0, 0);
  }

  public TableSnapshot withDlqDepth(Integer depth) {
    return new TableSnapshot(table, pending, eligible, oldestPendingArrival, oldestEligibleSince, backingOff,
        highestAttempt, lock, runningBatch, heldError, quarantined, latestQuarantinedUrl, latestQuarantineReason,
        lastLoadedAt, depth, expectNewDataWithin, loadedInWindow, quarantinedInWindow);
  }

  public TableSnapshot withExpectation(Duration expectation) {
    return new TableSnapshot(table, pending, eligible, oldestPendingArrival, oldestEligibleSince, backingOff,
        highestAttempt, lock, runningBatch, heldError, quarantined, latestQuarantinedUrl, latestQuarantineReason,
        lastLoadedAt, dlqDepth, expectation, loadedInWindow, quarantinedInWindow);
  }

  /** Age of the oldest pending file at {@code now}; zero when nothing is pending. */
  public Duration oldestPendingAge(Instant now) {
    return oldestPendingArrival == null ? Duration.ZERO : Durations.nonNegative(oldestPendingArrival, now);
  }
}
