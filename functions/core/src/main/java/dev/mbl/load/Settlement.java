package dev.mbl.load;

import dev.mbl.config.ConfigRef;
import dev.mbl.config.TableConfig;
import dev.mbl.event.StatementState;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.BatchState;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.Requeue;
import dev.mbl.tracker.Supersession;
import dev.mbl.tracker.WorkItem;
import dev.mbl.warehouse.ErrorClass;
import dev.mbl.warehouse.ErrorClassifier;
import dev.mbl.warehouse.StatementStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Settles a batch whose statement ended (docs/protocol.md, section 7): FINISHED marks its files
 * LOADED; FAILED is classified into a retry with back-off (transient), a hold that keeps every
 * file for the setup pause (an error that hits every file, a cancel), a quarantine of exactly the
 * files Redshift names, a bisection (a file's fault but none named), or the split test of an
 * unknown error. A load error is diagnosed first ({@link BatchDiagnosis}); this class is its
 * fallback. Always ends by recording the outcome and releasing the table's lock; every write is
 * fenced by the lock, and repeating a settlement after a crash is harmless.
 */
final class Settlement {
  static final String LOADED = "LOADED";
  static final String FAILED = "FAILED:";

  private final DynamoDbTracker tracker;
  private final Function<ConfigRef, TableConfig> configs;
  private final LoadTimings timings;
  private final ObjectVersions versions;

  Settlement(DynamoDbTracker tracker, Function<ConfigRef, TableConfig> configs, LoadTimings timings,
      ObjectVersions versions) {
    this.tracker = tracker;
    this.configs = configs;
    this.timings = timings;
    this.versions = versions;
  }

  /**
   * Sets a file Redshift blamed aside: SUPERSEDED when its object was overwritten since the batch
   * started (COPY read another version's bytes, so the error is not this version's; docs/protocol.md
   * 6a), else QUARANTINED with {@code reason}.
   */
  private void setAside(BatchRecord batch, WorkItem file, String reason, Instant now, List<LoadEvent> events,
      String statementId) {
    Optional<Supersession> replaced = VersionCheck.replaced(file, versions);
    if (replaced.isPresent()) {
      Supersession blamed = new Supersession(file.sortKey(), replaced.get().supersededBy(), replaced.get().reason()
          + " (COPY read the newer bytes; Redshift's error on it: " + reason + ")");
      tracker.supersedeClaimed(batch.table(), batch.batchId(), blamed, now);
      events.add(new LoadEvent("superseded", batch.table(), batch.batchId(), statementId, 1, blamed.reason()));
      return;
    }
    tracker.quarantine(batch.table(), batch.batchId(), List.of(file.sortKey()), reason, now);
    events.add(new LoadEvent("quarantined", batch.table(), batch.batchId(), statementId, 1, reason));
  }

  /** The batch's record; a batch holding the lock always has one. */
  BatchRecord batch(TableKey table, String batchId) {
    return tracker.batch(table, batchId).orElseThrow(
        () -> new IllegalStateException("batch " + batchId + " of " + table + " holds the lock but has no record"));
  }

  /** The error text of a statement that did not finish. */
  static String errorOf(StatementStatus status) {
    if (status.state() == StatementState.ABORTED) {
      return "the statement was cancelled (ABORTED)" + (status.error() == null ? "" : ": " + status.error());
    }
    return status.error() != null ? status.error() : "statement " + status.state() + " without error text";
  }

  void settle(TableKey table, String batchId, StatementStatus status, Instant now, List<LoadEvent> events) {
    BatchRecord batch = batch(table, batchId);
    List<String> files = batch.workKeys();
    String id = status.statementId();
    if (status.state() == StatementState.FINISHED) {
      noteHalf(batch, LOADED);
      tracker.complete(table, batchId, files, now);
      tracker.finishBatch(table, batchId, BatchState.LOADED, null, null, now);
      events.add(new LoadEvent("loaded", table, batchId, id, files.size(), batch.bytes() + " bytes"));
      tracker.release(table, batchId);
      return;
    }
    String error = errorOf(status);
    ErrorClass kind = status.state() == StatementState.ABORTED ? ErrorClass.SETUP : ErrorClassifier.classify(error);
    noteHalf(batch, FAILED + ErrorClassifier.normalise(error));
    ErrorClass recorded = switch (kind) {
      case TRANSIENT -> {
        retryOrGiveUp(batch, maxAttempts(batch), error, now, events, id);
        yield kind;
      }
      case SETUP -> hold(batch, "setup error", error, now, events, id);
      case DATA -> quarantineNamed(batch, error, now, events, id) ? kind : isolate(batch, error, now, events, id);
      case UNKNOWN -> quarantineNamed(batch, error, now, events, id) ? ErrorClass.DATA
          : splitTest(batch, error, now, events, id);
    };
    tracker.finishBatch(table, batchId, BatchState.FAILED, error, recorded.name(), now);
    tracker.release(table, batchId);
  }

  /** The fallback of a diagnosis that named no file: bisect as for a data error, then finish and release. */
  void bisect(BatchRecord batch, String error, Instant now, List<LoadEvent> events, String statementId) {
    isolate(batch, error, now, events, statementId);
    tracker.finishBatch(batch.table(), batch.batchId(), BatchState.FAILED, error, ErrorClass.DATA.name(), now);
    tracker.release(batch.table(), batch.batchId());
  }

  /**
   * Quarantines the named files (work key to reason) and requeues the batch's other files at once
   * (attempts and group unchanged); then finishes the batch and releases. Files already settled
   * by an earlier attempt of the same step are skipped.
   */
  void quarantineAndRequeueRest(BatchRecord batch, Map<String, String> reasons, String error, Instant now,
      List<LoadEvent> events, String statementId) {
    quarantineEach(batch, reasons, now, events, statementId);
    tracker.finishBatch(batch.table(), batch.batchId(), BatchState.FAILED, error, ErrorClass.DATA.name(), now);
    tracker.release(batch.table(), batch.batchId());
  }

  /** The work items of the batch that still exist (a repeated settlement finds quarantined ones gone). */
  List<WorkItem> remaining(BatchRecord batch) {
    return tracker.workItems(batch.table(), batch.workKeys());
  }

  private void quarantineEach(BatchRecord batch, Map<String, String> reasons, Instant now, List<LoadEvent> events,
      String statementId) {
    List<Requeue> rest = new ArrayList<>();
    List<WorkItem> remaining = remaining(batch);
    for (WorkItem file : remaining) {
      String reason = reasons.get(file.sortKey());
      if (reason == null) {
        rest.add(new Requeue(file.sortKey(), 0, 0, null));
      } else {
        setAside(batch, file, reason, now, events, statementId);
      }
    }
    if (!rest.isEmpty()) {
      tracker.requeue(batch.table(), batch.batchId(), rest, now);
      events.add(new LoadEvent("requeued", batch.table(), batch.batchId(), statementId, rest.size(),
          "not named by Redshift's load errors; they load in the next batch"));
    }
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
    for (WorkItem file : remaining(batch)) {
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

  /** Every file waits the setup pause, attempts unchanged; nothing is quarantined. Logged as "held". */
  private ErrorClass hold(BatchRecord batch, String why, String error, Instant now, List<LoadEvent> events,
      String statementId) {
    long notBefore = now.plus(timings.setupPause()).toEpochMilli();
    List<WorkItem> files = remaining(batch);
    tracker.requeue(batch.table(), batch.batchId(),
        files.stream().map(f -> new Requeue(f.sortKey(), 0, notBefore, null)).toList(), now);
    events.add(new LoadEvent("held", batch.table(), batch.batchId(), statementId, files.size(),
        why + ", files wait " + timings.setupPause() + ": " + error));
    return ErrorClass.SETUP;
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
        + LoadErrorDiagnosis.failingRowsQuery(url);
  }

  /** Quarantines the files of the batch that Redshift's text names (e.g. a columnar file); false if none. */
  private boolean quarantineNamed(BatchRecord batch, String error, Instant now, List<LoadEvent> events,
      String statementId) {
    if (error.indexOf("s3://") < 0 && error.indexOf(".amazonaws.com/") < 0) {
      return false;
    }
    Map<String, String> reasons = new LinkedHashMap<>();
    List<WorkItem> remaining = remaining(batch);
    for (WorkItem file : remaining) {
      if (ErrorClassifier.namesFile(error, file.bucket(), file.key())) {
        reasons.put(file.sortKey(), dataErrorReason(batch.table(), file.url(), error));
      }
    }
    if (reasons.isEmpty() && remaining.size() == batch.fileCount()) {
      return false;
    }
    // Empty with files gone: an earlier run of this step quarantined them; requeue the rest again.
    quarantineEach(batch, reasons, now, events, statementId);
    return true;
  }

  /** A file's fault but none named: one file is quarantined with Redshift's text; more are split in two groups. */
  private ErrorClass isolate(BatchRecord batch, String error, Instant now, List<LoadEvent> events,
      String statementId) {
    List<WorkItem> files = remaining(batch);
    if (files.size() == 1) {
      setAside(batch, files.get(0), dataErrorReason(batch.table(), files.get(0).url(), error), now, events,
          statementId);
    } else if (!files.isEmpty()) {
      split(batch, files, error, now, events, statementId);
    }
    return ErrorClass.DATA;
  }

  private void split(BatchRecord batch, List<WorkItem> files, String error, Instant now, List<LoadEvent> events,
      String statementId) {
    int half = files.size() / 2;
    List<Requeue> requeue = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      requeue.add(new Requeue(files.get(i).sortKey(), 0, 0, batch.batchId() + (i < half ? ".a" : ".b")));
    }
    tracker.requeue(batch.table(), batch.batchId(), requeue, now);
    events.add(new LoadEvent("split", batch.table(), batch.batchId(), statementId, files.size(),
        "retrying as " + half + " + " + (files.size() - half) + " files: " + error));
  }

  /**
   * An unknown error (docs/protocol.md, 7b): a split tests whether a file causes it. A half that
   * fails the same way as its parent while the other half loaded points at its own files; when
   * both halves fail the same way the error is the batch's and the files are held.
   */
  private ErrorClass splitTest(BatchRecord batch, String error, Instant now, List<LoadEvent> events,
      String statementId) {
    List<WorkItem> files = remaining(batch);
    SplitHalf half = SplitHalf.of(batch.group());
    if (half != null) {
      BatchRecord parent = tracker.batch(batch.table(), half.parentId()).orElse(null);
      String same = FAILED + ErrorClassifier.normalise(error);
      if (parent != null && parent.error() != null
          && (FAILED + ErrorClassifier.normalise(parent.error())).equals(same)) {
        String other = parent.half(half.otherSide());
        if (LOADED.equals(other)) {
          return isolate(batch, error, now, events, statementId);
        }
        if (same.equals(other)) {
          return hold(batch, "both halves of batch " + half.parentId() + " failed the same way, so the error is "
              + "the batch's, not a file's", error, now, events, statementId);
        }
        long notBefore = now.plus(timings.retryBase()).toEpochMilli();
        tracker.requeue(batch.table(), batch.batchId(),
            files.stream().map(f -> new Requeue(f.sortKey(), 0, notBefore, null)).toList(), now);
        events.add(new LoadEvent("split-wait", batch.table(), batch.batchId(), statementId, files.size(),
            "half " + half.side() + " of batch " + half.parentId() + " failed like the whole batch; the other half "
                + "runs first, then this one again: " + error));
        return ErrorClass.UNKNOWN;
      }
    }
    if (files.size() >= 2) {
      split(batch, files, "unrecognised error, testing whether one file causes it: " + error, now, events,
          statementId);
      return ErrorClass.UNKNOWN;
    }
    return hold(batch, "unrecognised error on a single file; nothing shows it is the file's fault", error, now,
        events, statementId);
  }

  /** Notes on a split parent's record how this half ended (no-op for a batch that is no half). */
  private void noteHalf(BatchRecord batch, String outcome) {
    SplitHalf half = SplitHalf.of(batch.group());
    if (half != null) {
      tracker.noteHalf(batch.table(), half.parentId(), half.side(), outcome);
    }
  }

  /** Group {@code {parent batch id}.a} or {@code .b}: the half of a split. */
  record SplitHalf(String parentId, String side) {
    static SplitHalf of(String group) {
      if (group == null) {
        return null;
      }
      int dot = group.lastIndexOf('.');
      if (dot <= 0) {
        return null;
      }
      String side = group.substring(dot + 1);
      return side.equals("a") || side.equals("b") ? new SplitHalf(group.substring(0, dot), side) : null;
    }

    String otherSide() {
      return side.equals("a") ? "b" : "a";
    }
  }
}
