package dev.mbl.load;

import dev.mbl.config.ConfigRef;
import dev.mbl.config.TableConfig;
import dev.mbl.event.StatementState;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.WorkItem;
import dev.mbl.warehouse.StatementRejectedException;
import dev.mbl.warehouse.StatementStatus;
import dev.mbl.warehouse.SubmitOutcomeUnknownException;
import dev.mbl.warehouse.Warehouse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Diagnoses a batch that failed with a COPY load error (docs/protocol.md, 7a): one query of
 * Redshift's load-error rows names the failed files, which are quarantined in one step while the
 * rest go back to pending; when the query fails, is forgotten or names no file of the batch, the
 * batch is bisected instead. The query is submitted with its own event and a client token derived
 * from the batch, so a lost event or a crash is repaired by the reconciler like a batch.
 */
final class BatchDiagnosis {
  private final DynamoDbTracker tracker;
  private final Function<ConfigRef, TableConfig> configs;
  private final Warehouse warehouse;
  private final LoadTimings timings;
  private final Settlement settlement;

  BatchDiagnosis(DynamoDbTracker tracker, Function<ConfigRef, TableConfig> configs, Warehouse warehouse,
      LoadTimings timings, Settlement settlement) {
    this.tracker = tracker;
    this.configs = configs;
    this.warehouse = warehouse;
    this.timings = timings;
    this.settlement = settlement;
  }

  /**
   * Starts the diagnosis of a RUNNING batch whose statement FAILED with a load error. Returns
   * false, having written nothing, when the diagnosis cannot be asked for (config unreadable, name
   * too long): the caller settles the batch as usual (bisection). Otherwise the lock stays with
   * the batch in phase DIAGNOSING, or the batch has been bisected because the query was refused.
   */
  boolean begin(TableKey table, String batchId, String error, String statementId, Instant now,
      List<LoadEvent> events) {
    BatchRecord batch = settlement.batch(table, batchId);
    Optional<Request> request = request(batch);
    if (request.isEmpty()) {
      return false;
    }
    tracker.markDiagnosing(table, batchId, error, now, now.plus(timings.startLease()));
    events.add(new LoadEvent("diagnosing", table, batchId, statementId, batch.fileCount(),
        "load error; asking sys_load_error_detail which files failed: " + error));
    submit(settlement.batch(table, batchId), request.get(), now, events);
    return true;
  }

  /**
   * Repairs a DIAGNOSING lock: submits the query if none is recorded (the same token returns an
   * earlier submission), then checks it.
   */
  void repair(TableKey table, String batchId, String diagnosisId, Instant now, List<LoadEvent> events) {
    BatchRecord batch = settlement.batch(table, batchId);
    if (diagnosisId == null) {
      Optional<Request> request = request(batch);
      if (request.isEmpty()) {
        fallBack(batch, "the config can no longer be read to ask for the diagnosis", now, events);
        return;
      }
      submit(batch, request.get(), now, events);
      return;
    }
    check(batch, diagnosisId, now, events);
  }

  /** Settles the diagnosis whose status-change event arrived; records its id first if none was. */
  void onEvent(TableKey table, String batchId, String recordedId, StatementStatus status, Instant now,
      List<LoadEvent> events) {
    if (recordedId == null) {
      tracker.markDiagnosisSubmitted(table, batchId, status.statementId(), now, now.plus(timings.runningLease()));
    }
    settle(settlement.batch(table, batchId), status, now, events);
  }

  private void submit(BatchRecord batch, Request request, Instant now, List<LoadEvent> events) {
    String id;
    try {
      id = warehouse.submitQuery(request.config().target(), request.sql(), request.name().toString(),
          clientToken(batch.table(), batch.batchId()));
    } catch (StatementRejectedException refused) {
      if (refused.transientRefusal()) {
        // Throttled or at the active-statement limit: the repairer submits it after a short wait.
        tracker.touch(batch.table(), batch.batchId(), now, now.plus(timings.retryBase()));
        events.add(new LoadEvent("submit-rejected", batch.table(), batch.batchId(), null, 0, refused.getMessage()));
        return;
      }
      fallBack(batch, "the Data API refused the diagnostic query: " + refused.getMessage(), now, events);
      return;
    } catch (SubmitOutcomeUnknownException unknown) {
      // Stays DIAGNOSING without a recorded query; the repairer resubmits with the same token.
      events.add(new LoadEvent("submit-unknown", batch.table(), batch.batchId(), null, 0, unknown.getMessage()));
      return;
    }
    tracker.markDiagnosisSubmitted(batch.table(), batch.batchId(), id, now, now.plus(timings.runningLease()));
    check(settlement.batch(batch.table(), batch.batchId()), id, now, events);
  }

  /** The diagnostic query's client token: the batch's, plus "-d" (45 of the Data API's 64 characters). */
  static String clientToken(TableKey table, String batchId) {
    return LoadCoordinator.clientToken(table, batchId) + "-d";
  }

  private void check(BatchRecord batch, String diagnosisId, Instant now, List<LoadEvent> events) {
    Optional<StatementStatus> status = warehouse.describe(diagnosisId);
    if (status.isEmpty()) {
      fallBack(batch, "the Data API no longer knows the diagnostic query " + diagnosisId, now, events);
      return;
    }
    if (!status.get().state().terminal()) {
      tracker.touch(batch.table(), batch.batchId(), now, now.plus(timings.runningLease()));
      events.add(new LoadEvent("still-running", batch.table(), batch.batchId(), diagnosisId, 0,
          "diagnosis " + status.get().state().name()));
      return;
    }
    settle(batch, status.get(), now, events);
  }

  private void settle(BatchRecord batch, StatementStatus status, Instant now, List<LoadEvent> events) {
    if (status.state() != StatementState.FINISHED) {
      fallBack(batch, "the diagnostic query " + status.state() + ": " + Settlement.errorOf(status), now, events);
      return;
    }
    List<WorkItem> files = settlement.remaining(batch);
    Map<String, String> keyByUrl = files.stream().collect(Collectors.toMap(WorkItem::url, WorkItem::sortKey,
        (a, b) -> a, LinkedHashMap::new));
    List<Map<String, String>> rows;
    try {
      rows = warehouse.results(status.statementId());
    } catch (StatementRejectedException refused) {
      fallBack(batch, refused.getMessage(), now, events);
      return;
    }
    Map<String, LoadErrorDiagnosis.FileError> named = LoadErrorDiagnosis.fileErrors(rows, keyByUrl.keySet());
    if (named.isEmpty() && files.size() < batch.fileCount()) {
      // An earlier run of this step quarantined the named files (their work items are gone).
      settlement.quarantineAndRequeueRest(batch, Map.of(), batch.error(), now, events, status.statementId());
      return;
    }
    if (named.isEmpty()) {
      fallBack(batch, "sys_load_error_detail names no file of the batch", now, events);
      return;
    }
    Map<String, String> reasons = new LinkedHashMap<>();
    named.forEach((url, row) -> reasons.put(keyByUrl.get(url), LoadErrorDiagnosis.reason(batch.table(), row,
        batch.error())));
    settlement.quarantineAndRequeueRest(batch, reasons, batch.error(), now, events, status.statementId());
  }

  private void fallBack(BatchRecord batch, String why, Instant now, List<LoadEvent> events) {
    events.add(new LoadEvent("diagnosis-failed", batch.table(), batch.batchId(), batch.diagnosisId(),
        batch.fileCount(), why + "; bisecting instead"));
    settlement.bisect(batch, batch.error() != null ? batch.error() : why, now, events, batch.statementId());
  }

  /** The query to submit, or empty when it cannot be built. */
  private Optional<Request> request(BatchRecord batch) {
    try {
      TableConfig config = configs.apply(batch.config());
      StatementName name = StatementName.parse(batch.statementName()).orElseThrow().forDiagnosis();
      List<String> urls = settlement.remaining(batch).stream().map(WorkItem::url).toList();
      return Optional.of(new Request(config, name, LoadErrorDiagnosis.sql(batch.createdAt(), urls)));
    } catch (RuntimeException cannot) {
      return Optional.empty();
    }
  }

  private record Request(TableConfig config, StatementName name, String sql) {}
}
