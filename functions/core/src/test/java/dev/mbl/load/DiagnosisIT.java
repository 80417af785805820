package dev.mbl.load;

import static dev.mbl.testing.LoadHarness.TABLE;
import static dev.mbl.testing.LoadHarness.TIMINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.Lock;
import dev.mbl.tracker.LockPhase;
import dev.mbl.warehouse.StatementRejectedException;
import dev.mbl.warehouse.Warehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.stubbing.Answer;

/**
 * A load error is diagnosed from Redshift's load-error rows (docs/protocol.md, 7a): one failed
 * batch plus one query quarantine exactly the bad file; a failed, forgotten or empty diagnosis
 * falls back to bisection; a crash after any step of the diagnosis, or its lost event, is
 * repaired by the reconciler.
 */
class DiagnosisIT {
  enum Step { MARK_DIAGNOSING, SUBMIT_DIAGNOSIS, MARK_DIAGNOSIS_SUBMITTED, QUARANTINE_NAMED, REQUEUE_REST }

  private final LoadHarness h = new LoadHarness();
  private S3ObjectRef bad;

  /** Twenty files, the eighth with one bad row. */
  private void twentyFilesOneBad() {
    List<S3ObjectRef> objects = new ArrayList<>(h.upload(7));
    bad = h.upload("BAD,row\n");
    objects.add(bad);
    objects.addAll(h.upload(12));
    h.ledger(objects);
  }

  private void assertOnlyTheBadFileQuarantined() {
    h.assertInvariant();
    List<LedgerEntry> entries = h.tracker.ledgerEntries(TABLE);
    assertThat(entries).filteredOn(e -> e.state() == FileState.QUARANTINED).singleElement()
        .satisfies(e -> assertThat(e.key()).isEqualTo(bad.key()));
    assertThat(entries).filteredOn(e -> e.state() == FileState.LOADED).hasSize(19);
  }

  @Test
  void drain_twentyFilesOneBad_oneFailedBatchAndOneQueryQuarantineExactlyThatFile() {
    twentyFilesOneBad();
    LoadCoordinator coordinator = h.coordinator();

    List<LoadEvent> events = new ArrayList<>(coordinator.start(TABLE, h.now()));
    events.addAll(h.drain(coordinator));

    assertOnlyTheBadFileQuarantined();
    assertThat(h.api.submittedSql()).as("the failed batch, then one batch of the 19 others").hasSize(2);
    assertThat(h.api.queryIds()).as("diagnostic queries").hasSize(1);
    assertThat(events).extracting(LoadEvent::action).containsSubsequence("started", "diagnosing", "quarantined",
        "requeued", "started", "loaded").doesNotContain("split", "diagnosis-failed");
    assertThat(h.tracker.ledgerEntry(TABLE, bad)).get().satisfies(e -> assertThat(e.reason())
        .contains("line 1, column amount (int8), value 'r': Invalid digit, Value 'r', Pos 0, Type: Long")
        .contains("WHERE TRIM(file_name) = 's3://" + bad.bucket() + "/" + bad.key() + "'"));
  }

  @Test
  void drain_diagnosisNamesNoFile_fallsBackToBisection() {
    twentyFilesOneBad();
    h.api.loadErrorsVisible(false);

    List<LoadEvent> events = new ArrayList<>(h.coordinator().start(TABLE, h.now()));
    events.addAll(h.drain(h.coordinator()));

    assertOnlyTheBadFileQuarantined();
    assertThat(events).extracting(LoadEvent::action).contains("diagnosis-failed", "split");
  }

  @Test
  void onStatementEvent_diagnosticQueryFails_fallsBackToBisection() {
    twentyFilesOneBad();
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    List<LoadEvent> events = new ArrayList<>(coordinator.onStatementEvent(h.api.finishAll().get(0), h.now()));
    h.api.script(StatementState.FAILED, "ERROR: permission denied for relation sys_load_error_detail");

    events.addAll(coordinator.onStatementEvent(h.api.finishAll().get(0), h.now()));
    events.addAll(h.drain(coordinator));

    assertThat(events).extracting(LoadEvent::action).containsSubsequence("diagnosing", "diagnosis-failed", "split");
    assertOnlyTheBadFileQuarantined();
  }

  @Test
  void start_diagnosticQueryRefused_bisectsAtOnce() {
    twentyFilesOneBad();
    Warehouse refusing = spy(h.warehouse);
    doThrow(new StatementRejectedException("ValidationException: SQL is too long", false, null))
        .when(refusing).submitQuery(any(), anyString(), anyString(), anyString());
    LoadCoordinator coordinator = h.coordinator(h.tracker, refusing);
    coordinator.start(TABLE, h.now());

    List<LoadEvent> events = coordinator.onStatementEvent(h.api.finishAll().get(0), h.now());

    assertThat(events).extracting(LoadEvent::action).containsSubsequence("diagnosing", "diagnosis-failed", "split");
    h.drain(h.coordinator());
    assertOnlyTheBadFileQuarantined();
  }

  @Test
  void start_diagnosticQueryThrottled_waitsTheRetryBaseAndSubmitsItAgain() {
    twentyFilesOneBad();
    Warehouse throttled = spy(h.warehouse);
    doThrow(new StatementRejectedException("the Data API throttled the submission", true, null))
        .doCallRealMethod().when(throttled).submitQuery(any(), anyString(), anyString(), anyString());
    LoadCoordinator coordinator = h.coordinator(h.tracker, throttled);
    coordinator.start(TABLE, h.now());

    List<LoadEvent> events = coordinator.onStatementEvent(h.api.finishAll().get(0), h.now());

    assertThat(events).extracting(LoadEvent::action).containsExactly("diagnosing", "submit-rejected");
    assertThat(h.tracker.lock(TABLE)).get().satisfies(lock -> {
      assertThat(lock.phase()).isEqualTo(LockPhase.DIAGNOSING);
      assertThat(lock.leaseUntil()).isEqualTo(h.now().plus(TIMINGS.retryBase()));
    });
    h.advance(TIMINGS.retryBase().plus(Duration.ofMinutes(1)));
    events = new ArrayList<>(coordinator.reconcile(h.now()));
    events.addAll(h.drain(coordinator));
    assertThat(events).extracting(LoadEvent::action).contains("quarantined").doesNotContain("split");
    assertOnlyTheBadFileQuarantined();
  }

  @Test
  void reconcile_diagnosisEventLost_settlesFromDescribeStatement() {
    twentyFilesOneBad();
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    coordinator.onStatementEvent(h.api.finishAll().get(0), h.now());
    assertThat(h.tracker.lock(TABLE)).get().satisfies(lock -> {
      assertThat(lock.phase()).isEqualTo(LockPhase.DIAGNOSING);
      assertThat(lock.diagnosisId()).isEqualTo(h.api.queryIds().get(0));
    });
    h.api.finishAll(); // the diagnosis ends; its event is lost

    h.advance(TIMINGS.checkRunningAfter());
    List<LoadEvent> events = coordinator.reconcile(h.now());
    events.addAll(h.drain(coordinator));

    assertThat(events).extracting(LoadEvent::action).contains("quarantined", "requeued").doesNotContain("split");
    assertOnlyTheBadFileQuarantined();
  }

  @Test
  void reconcile_diagnosisForgottenByDataApi_fallsBackToBisection() {
    twentyFilesOneBad();
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    coordinator.onStatementEvent(h.api.finishAll().get(0), h.now());
    h.api.forget();

    h.advance(TIMINGS.checkRunningAfter());
    List<LoadEvent> events = coordinator.reconcile(h.now());
    events.addAll(h.drain(coordinator));

    assertThat(events).extracting(LoadEvent::action).contains("diagnosis-failed", "split");
    assertOnlyTheBadFileQuarantined();
  }

  @Test
  void onStatementEvent_lateBatchEventWhileDiagnosing_ignored() {
    twentyFilesOneBad();
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    StatementEvent failed = h.api.finishAll().get(0);
    coordinator.onStatementEvent(failed, h.now());

    List<LoadEvent> again = coordinator.onStatementEvent(failed, h.now());

    assertThat(again).extracting(LoadEvent::action).containsExactly("ignored");
    assertThat(h.tracker.lock(TABLE)).get().satisfies(l -> assertThat(l.phase()).isEqualTo(LockPhase.DIAGNOSING));
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void reconcile_crashAfterDiagnosisStep_repairsAndQuarantinesOnlyTheBadFile(Step step) {
    twentyFilesOneBad();
    DynamoDbTracker tracker = spy(h.tracker);
    Warehouse warehouse = spy(h.warehouse);
    Answer<Object> crash = crashAfter(step.name());
    switch (step) {
      case MARK_DIAGNOSING -> doAnswer(crash).when(tracker).markDiagnosing(any(), anyString(), anyString(), any(),
          any());
      case SUBMIT_DIAGNOSIS -> doAnswer(crash).when(warehouse).submitQuery(any(), anyString(), anyString(),
          anyString());
      case MARK_DIAGNOSIS_SUBMITTED -> doAnswer(crash).when(tracker).markDiagnosisSubmitted(any(), anyString(),
          anyString(), any(), any());
      case QUARANTINE_NAMED -> doAnswer(crash).when(tracker).quarantine(any(), anyString(), anyList(), anyString(),
          any());
      case REQUEUE_REST -> doAnswer(crash).when(tracker).requeue(any(), anyString(), anyList(), any());
    }
    LoadCoordinator crashing = h.coordinator(tracker, warehouse);
    crashing.start(TABLE, h.now());
    boolean crashed = false;
    try {
      for (int round = 0; round < 2; round++) { // the batch's event, then the diagnosis's
        for (StatementEvent event : h.api.finishAll()) {
          crashing.onStatementEvent(event, h.now());
        }
      }
    } catch (CrashRecoveryIT.SimulatedCrash expected) {
      crashed = true;
    }
    assertThat(crashed).as("the injected crash after %s happened", step).isTrue();
    Lock stuck = h.tracker.lock(TABLE).orElseThrow();
    assertThat(stuck.phase()).isEqualTo(LockPhase.DIAGNOSING);
    h.api.finishAll(); // whatever was submitted ends; its event died with the loader

    LoadCoordinator healthy = h.coordinator();
    h.advance(Duration.between(h.now(), stuck.leaseUntil()).plus(Duration.ofMinutes(1)));
    List<LoadEvent> events = healthy.reconcile(h.now());
    events.addAll(h.drain(healthy));

    assertOnlyTheBadFileQuarantined();
    assertThat(events).extracting(LoadEvent::action).doesNotContain("split", "diagnosis-failed");
    assertThat(h.api.queryIds()).as("distinct diagnostic queries: a resubmission reused the token").hasSize(1);
  }

  private static Answer<Object> crashAfter(String step) {
    return invocation -> {
      invocation.callRealMethod();
      throw new CrashRecoveryIT.SimulatedCrash(step);
    };
  }
}
