package dev.mbl.health;

import dev.mbl.load.TableKey;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.BatchState;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.Lock;
import dev.mbl.tracker.TrackerStatus;
import dev.mbl.tracker.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a {@link TableSnapshot} from the tracker: every work item (pending files are few), the
 * lock and its batch, the acknowledgement, and the newest batch records without their file lists
 * (last load, a setup hold, quarantines since the acknowledgement, the metrics window), at most
 * {@code lookback} and no further back than a day before the acknowledgement once the last load
 * is found. Only a failed batch that may have quarantined (not a setup hold) is read whole, and the
 * ledger only for its files, never whole. A quarantine older than the lookback is not seen (at the
 * default of 500, hours to days of loads): acknowledge with {@code mbl ack}.
 */
public final class HealthReader {
  public static final int DEFAULT_LOOKBACK = 500;
  /**
   * Work items read per table and reconcile: a backlog beyond this is counted as this many pending
   * (a floor), so a bulk load of a million files does not cost a million reads a minute.
   */
  public static final int WORK_LIMIT = 10_000;
  /** Batch summaries read per request: a quiet table's walk ends within the first. */
  private static final int PAGE = 25;

  private final DynamoDbTracker tracker;
  private final TrackerStatus status;
  private final int lookback;

  public HealthReader(DynamoDbTracker tracker, TrackerStatus status, int lookback) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.status = Objects.requireNonNull(status, "status");
    if (lookback < 1) {
      throw new IllegalArgumentException("lookback is " + lookback + ": use 1 or more batches");
    }
    this.lookback = lookback;
  }

  /**
   * @param window the metrics window: files loaded or quarantined within it are counted
   */
  public TableSnapshot read(TableKey table, Instant now, Duration window) {
    long nowMillis = now.toEpochMilli();
    int pending = 0;
    int eligible = 0;
    int backingOff = 0;
    int highestAttempt = 0;
    Instant oldestArrival = null;
    Instant oldestEligible = null;
    List<WorkItem> items = status.work(table, WORK_LIMIT);
    for (WorkItem work : items) {
      if (work.batchId() != null) {
        continue;
      }
      pending++;
      Instant arrival = TrackerStatus.arrivalOfWork(work.sortKey());
      oldestArrival = oldestArrival == null || arrival.isBefore(oldestArrival) ? arrival : oldestArrival;
      highestAttempt = Math.max(highestAttempt, work.attempts());
      if (work.eligibleAt(nowMillis)) {
        eligible++;
        Instant since = work.notBeforeMillis() > arrival.toEpochMilli() ? Instant.ofEpochMilli(work.notBeforeMillis())
            : arrival;
        oldestEligible = oldestEligible == null || since.isBefore(oldestEligible) ? since : oldestEligible;
      } else if (work.attempts() > 0) {
        backingOff++;
      }
    }
    if (items.size() == WORK_LIMIT) {
      pending = WORK_LIMIT; // a floor: the backlog is at least this long
    }
    Lock lock = tracker.lock(table).orElse(null);
    BatchRecord running = lock == null ? null : tracker.batch(table, lock.batchId()).orElse(null);
    Instant acked = status.acknowledgedAt(table).orElse(Instant.EPOCH);
    Instant windowStart = now.minus(window);

    java.util.Iterator<BatchRecord> batches = status.batchSummariesNewestFirst(table, PAGE);
    Instant walkFrom = acked.equals(Instant.EPOCH) ? Instant.EPOCH : acked.minus(Duration.ofDays(1));
    Instant lastLoaded = null;
    Instant newestStart = null;
    String heldError = null;
    boolean sawTerminal = false;
    int loadedInWindow = 0;
    List<BatchRecord> failed = new ArrayList<>();
    for (int walked = 0; walked < lookback && batches.hasNext(); walked++) {
      BatchRecord batch = batches.next();
      newestStart = newestStart == null ? batch.createdAt() : newestStart;
      if (lastLoaded != null && batch.createdAt().isBefore(walkFrom) && batch.createdAt().isBefore(windowStart)) {
        break;
      }
      if (!batch.state().terminal()) {
        continue;
      }
      if (!sawTerminal && batch.state() == BatchState.FAILED && "SETUP".equals(batch.errorClass()) && pending > 0) {
        heldError = batch.error();
      }
      sawTerminal = true;
      if (batch.state() == BatchState.LOADED) {
        Instant finished = batch.finishedAt() != null ? batch.finishedAt() : batch.createdAt();
        lastLoaded = lastLoaded == null || finished.isAfter(lastLoaded) ? finished : lastLoaded;
        if (finished.isAfter(windowStart)) {
          // A summary has no file list: the few batches of the window are read whole.
          loadedInWindow += tracker.batch(table, batch.batchId()).map(BatchRecord::fileCount).orElse(0);
        }
      } else if (batch.state() == BatchState.FAILED && !"SETUP".equals(batch.errorClass())) {
        tracker.batch(table, batch.batchId()).ifPresent(failed::add);
      }
    }
    Quarantines q = quarantines(table, failed, acked, windowStart);
    // Files wait without a load only since the newest batch started: between two batches of a backlog
    // the lock is free for a moment, which is no stall.
    if (oldestEligible != null && newestStart != null && newestStart.isAfter(oldestEligible)) {
      oldestEligible = newestStart;
    }
    return new TableSnapshot(table, pending, eligible, oldestArrival, oldestEligible, backingOff, highestAttempt, lock,
        running, heldError, q.sinceAck, q.latestUrl, q.latestReason, lastLoaded, null, null, loadedInWindow,
        q.inWindow);
  }

  private record Quarantines(int sinceAck, String latestUrl, String latestReason, int inWindow) {}

  /** Files a failed batch quarantined stay QUARANTINED with that batch's id until retried. */
  private Quarantines quarantines(TableKey table, List<BatchRecord> failed, Instant acked, Instant windowStart) {
    List<String> ids = new ArrayList<>();
    failed.forEach(b -> b.workKeys().forEach(k -> ids.add(TrackerStatus.fileIdOfWork(k))));
    int sinceAck = 0;
    int inWindow = 0;
    LedgerEntry latest = null;
    Set<String> batchIds = new HashSet<>(failed.stream().map(BatchRecord::batchId).toList());
    for (LedgerEntry entry : status.ledgerEntries(table, ids)) {
      if (entry.state() != FileState.QUARANTINED || !batchIds.contains(entry.batchId()) || entry.settledAt() == null) {
        continue;
      }
      if (entry.settledAt().isAfter(acked)) {
        sinceAck++;
        latest = latest == null || entry.settledAt().isAfter(latest.settledAt()) ? entry : latest;
      }
      if (entry.settledAt().isAfter(windowStart)) {
        inWindow++;
      }
    }
    return new Quarantines(sinceAck, latest == null ? null : latest.url(), latest == null ? null : latest.reason(),
        inWindow);
  }
}
