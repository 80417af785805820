package dev.mbl.load;

import dev.mbl.config.ConfigRef;
import dev.mbl.config.TableConfig;
import dev.mbl.event.StatementState;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.BatchState;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.Requeue;
import dev.mbl.tracker.WorkItem;
import dev.mbl.warehouse.ErrorClass;
import dev.mbl.warehouse.ErrorClassifier;
import dev.mbl.warehouse.StatementStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Settles a batch whose statement ended (DESIGN.md rule 6): FINISHED marks its files LOADED;
 * FAILED is classified into a retry with back-off (transient), a bisection that ends with only
 * the bad file quarantined (data), or a pause that keeps every file (setup); ABORTED retries.
 * Always ends by recording the outcome and releasing the table's lock; every write is fenced by
 * the lock, and repeating a settlement after a crash is harmless.
 */
final class Settlement {
  private final DynamoDbTracker tracker;
  private final Function<ConfigRef, TableConfig> configs;
  private final LoadTimings timings;

  Settlement(DynamoDbTracker tracker, Function<ConfigRef, TableConfig> configs, LoadTimings timings) {
    this.tracker = tracker;
    this.configs = configs;
    this.timings = timings;
  }

  void settle(TableKey table, String batchId, StatementStatus status, Instant now, List<LoadEvent> events) {
    BatchRecord batch = tracker.batch(table, batchId).orElseThrow(
        () -> new IllegalStateException("batch " + batchId + " of " + table + " holds the lock but has no record"));
    List<String> files = batch.workKeys();
    String id = status.statementId();
    if (status.state() == StatementState.FINISHED) {
      tracker.complete(table, batchId, files, now);
      tracker.finishBatch(table, batchId, BatchState.LOADED, null, null, now);
      events.add(new LoadEvent("loaded", table, batchId, id, files.size(), batch.bytes() + " bytes"));
    } else {
      String error = status.error() != null ? status.error() : "statement " + status.state() + " without error text";
      ErrorClass kind = status.state() == StatementState.ABORTED ? ErrorClass.TRANSIENT : ErrorClassifier.classify(error);
      switch (kind) {
        case TRANSIENT -> retryOrGiveUp(batch, maxAttempts(batch), error, now, events, id);
        case DATA -> isolate(batch, error, now, events, id);
        case SETUP -> {
          long notBefore = now.plus(timings.setupPause()).toEpochMilli();
          tracker.requeue(table, batchId, files.stream().map(k -> new Requeue(k, 0, notBefore, null)).toList(), now);
          events.add(new LoadEvent("held", table, batchId, id, files.size(),
              "setup error, files wait " + timings.setupPause() + ": " + error));
        }
      }
      tracker.finishBatch(table, batchId, BatchState.FAILED, error, kind.name(), now);
    }
    tracker.release(table, batchId);
  }

  /** The config's attempt limit; settling must not depend on the config still being readable. */
  private int maxAttempts(BatchRecord batch) {
    try {
      return configs.apply(batch.config()).maxAttempts();
    } catch (RuntimeException unreadable) {
      return TableConfig.DEFAULT_MAX_ATTEMPTS;
    }
  }

  /** Each file that has used up its attempts is quarantined; the others retry after back-off. */
  private void retryOrGiveUp(BatchRecord batch, int maxAttempts, String error, Instant now,
      List<LoadEvent> events, String statementId) {
    List<String> exhausted = new ArrayList<>();
    List<Requeue> retry = new ArrayList<>();
    int highest = 0;
    for (WorkItem file : tracker.workItems(batch.table(), batch.workKeys())) {
      int attempt = file.attempts() + 1;
      if (attempt >= maxAttempts) {
        exhausted.add(file.sortKey());
      } else {
        retry.add(new Requeue(file.sortKey(), 1, now.plus(timings.retryDelay(attempt)).toEpochMilli(), null));
        highest = Math.max(highest, attempt);
      }
    }
    if (!exhausted.isEmpty()) {
      String reason = "gave up after " + maxAttempts + " attempts; last error: " + error;
      tracker.quarantine(batch.table(), batch.batchId(), exhausted, reason, now);
      events.add(new LoadEvent("quarantined", batch.table(), batch.batchId(), statementId, exhausted.size(), reason));
    }
    if (!retry.isEmpty()) {
      tracker.requeue(batch.table(), batch.batchId(), retry, now);
      events.add(new LoadEvent("retry", batch.table(), batch.batchId(), statementId, retry.size(),
          "attempt " + highest + " failed, retry in " + timings.retryDelay(highest) + ": " + error));
    }
  }

  /**
   * The quarantine reason of a file Redshift rejected: the target table (Redshift's own text names
   * the temporary staging table), Redshift's error, and the query that shows the failing rows.
   */
  static String dataErrorReason(TableKey table, String url, String error) {
    if (url == null) {
      return "Redshift could not load this file into " + table.table() + ": " + error;
    }
    return "Redshift could not load " + url + " into " + table.table() + ": " + error
        + " Failing rows: SELECT line_number, colname, err_reason, raw_field_value FROM stl_load_errors"
        + " WHERE filename LIKE '%" + url.replace("'", "''") + "%' ORDER BY starttime DESC;";
  }

  /** A data error: one file is quarantined with Redshift's text; more are split in two groups and retried. */
  private void isolate(BatchRecord batch, String error, Instant now, List<LoadEvent> events, String statementId) {
    List<String> files = batch.workKeys();
    if (files.size() == 1) {
      String url = tracker.workItems(batch.table(), files).stream().map(WorkItem::url).findFirst().orElse(null);
      String reason = dataErrorReason(batch.table(), url, error);
      tracker.quarantine(batch.table(), batch.batchId(), files, reason, now);
      events.add(new LoadEvent("quarantined", batch.table(), batch.batchId(), statementId, 1, reason));
      return;
    }
    int half = files.size() / 2;
    List<Requeue> requeue = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      requeue.add(new Requeue(files.get(i), 0, 0, batch.batchId() + (i < half ? ".a" : ".b")));
    }
    tracker.requeue(batch.table(), batch.batchId(), requeue, now);
    events.add(new LoadEvent("split", batch.table(), batch.batchId(), statementId, files.size(),
        "data error, retrying as " + half + " + " + (files.size() - half) + " files: " + error));
  }
}
