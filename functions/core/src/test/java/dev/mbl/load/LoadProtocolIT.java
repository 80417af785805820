package dev.mbl.load;

import static dev.mbl.testing.LoadHarness.TABLE;
import static dev.mbl.testing.LoadHarness.TIMINGS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import dev.mbl.sql.BatchSqlBuilder;
import dev.mbl.testing.FakeDataApi;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import dev.mbl.config.ConfigRef;
import dev.mbl.tracker.LockPhase;
import dev.mbl.warehouse.StatementRejectedException;
import dev.mbl.warehouse.SubmitOutcomeUnknownException;
import dev.mbl.warehouse.Warehouse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

/** The load protocol (DESIGN.md rules 1-8) against DynamoDB Local and S3Proxy. */
class LoadProtocolIT {
  private final LoadHarness h = new LoadHarness();

  @Test
  void accept_sameObjectDeliveredTwice_loadsOnce() {
    S3ObjectRef object = h.upload(null);
    FileIntake intake = h.intake(h.coordinator());

    FileIntake.Result first = intake.accept(List.of(h.message("m1", object)), h.now());
    FileIntake.Result again = intake.accept(List.of(h.message("m2", object), h.message("m3", object)), h.now());
    h.drain(h.coordinator());

    assertThat(first.filesNew()).isEqualTo(1);
    assertThat(again.filesNew()).isZero();
    assertThat(again.filesDuplicate()).isEqualTo(2);
    assertThat(again.failedMessageIds()).isEmpty();
    assertThat(h.tracker.ledgerEntries(TABLE)).hasSize(1);
    assertThat(h.api.loadedLines()).hasSize(2);
    h.assertInvariant();
  }

  @Test
  void start_twoLoadersRacing_produceOneBatch() throws Exception {
    LoadCoordinator first = h.coordinator();
    LoadCoordinator second = h.coordinator();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        h.ledger(h.upload(3));
        int before = h.api.submittedSql().size();
        CyclicBarrier barrier = new CyclicBarrier(2);
        Future<List<LoadEvent>> a = pool.submit(() -> {
          barrier.await();
          return first.start(TABLE, h.now());
        });
        Future<List<LoadEvent>> b = pool.submit(() -> {
          barrier.await();
          return second.start(TABLE, h.now());
        });
        List<LoadEvent> events = new ArrayList<>(a.get(30, TimeUnit.SECONDS));
        events.addAll(b.get(30, TimeUnit.SECONDS));

        assertThat(h.api.submittedSql()).as("statements submitted in round %d", round).hasSize(before + 1);
        assertThat(events).filteredOn(e -> e.action().equals("started")).hasSize(1);
        assertThat(h.api.running()).isEqualTo(1);
        h.drain(first);
      }
    } finally {
      pool.shutdownNow();
    }
    h.assertInvariant();
  }

  @Test
  void settle_fileAddedWhileTableLocked_isStartedByTheReleasingLoader() {
    LoadCoordinator coordinator = h.coordinator();
    FileIntake intake = h.intake(coordinator);
    intake.accept(List.of(h.message("m1", h.upload(null))), h.now());
    FileIntake.Result whileLocked = intake.accept(List.of(h.message("m2", h.upload(null))), h.now());
    assertThat(whileLocked.events()).extracting(LoadEvent::action).containsExactly("busy");

    List<LoadEvent> settled = new ArrayList<>();
    for (StatementEvent event : h.api.finishAll()) {
      settled.addAll(coordinator.onStatementEvent(event, h.now()));
    }

    // No reconcile ran: the loader that released the lock looked for pending work (rule 3).
    assertThat(settled).extracting(LoadEvent::action).containsExactly("loaded", "started");
    for (StatementEvent event : h.api.finishAll()) {
      coordinator.onStatementEvent(event, h.now());
    }
    h.assertInvariant();
  }

  @Test
  void accept_concurrentArrivalsAndSettlements_strandNothingWithoutReconcile() throws Exception {
    LoadCoordinator arrivals = h.coordinator();
    LoadCoordinator settler = h.coordinator();
    FileIntake intake = h.intake(arrivals);
    List<S3ObjectRef> objects = h.upload(40);
    AtomicBoolean arriving = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> producer = pool.submit(() -> {
        for (int i = 0; i < objects.size(); i++) {
          intake.accept(List.of(h.message("m" + i, objects.get(i))), h.now());
        }
        arriving.set(false);
      });
      Future<?> consumer = pool.submit(() -> {
        while (arriving.get() || h.api.running() > 0) {
          for (StatementEvent event : h.api.finishAll()) {
            settler.onStatementEvent(event, h.now());
          }
          Thread.onSpinWait();
        }
      });
      producer.get(120, TimeUnit.SECONDS);
      consumer.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    // Whatever the interleaving, no reconcile was needed for every file to load.
    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).hasSize(40);
  }

  @Test
  void onStatementEvent_failedWithIsolationViolation_releasesTableAndRetries() {
    h.ledger(h.upload(3));
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    h.api.script(StatementState.FAILED, "ERROR: 1023 DETAIL: Serializable isolation violation on table - 100218");
    StatementEvent failed = h.api.finishAll().get(0);

    List<LoadEvent> events = coordinator.onStatementEvent(failed, h.now());

    assertThat(events).extracting(LoadEvent::action).contains("retry");
    assertThat(h.tracker.lock(TABLE)).as("lock after FAILED").isEmpty();
    assertThat(h.tracker.work(TABLE)).allSatisfy(w -> {
      assertThat(w.attempts()).isEqualTo(1);
      assertThat(w.notBeforeMillis()).isEqualTo(h.now().plus(TIMINGS.retryDelay(1)).toEpochMilli());
    });
    h.drain(coordinator);
    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).allMatch(e -> e.state() == FileState.LOADED);
  }

  /** A cancelled statement (CancelStatement: ABORTED) holds its files; whoever cancelled would cancel a retry. */
  @Test
  void onStatementEvent_aborted_holdsTheFilesWithoutQuarantine() {
    h.ledger(h.upload(2));
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    h.api.script(StatementState.ABORTED, null);

    List<LoadEvent> events = coordinator.onStatementEvent(h.api.finishAll().get(0), h.now());

    assertThat(events).extracting(LoadEvent::action).contains("held").doesNotContain("retry", "quarantined");
    assertThat(h.tracker.lock(TABLE)).as("lock after ABORTED").isEmpty();
    assertThat(h.tracker.work(TABLE)).allSatisfy(w -> assertThat(w.notBeforeMillis())
        .isEqualTo(h.now().plus(TIMINGS.setupPause()).toEpochMilli()));
    h.drain(coordinator);
    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).allMatch(e -> e.state() == FileState.LOADED);
  }

  @Test
  void drain_badFileInBatchOfTen_diagnosisQuarantinesItAloneWhileNineLoad() {
    List<S3ObjectRef> objects = h.upload(4);
    S3ObjectRef bad = h.upload("BAD,row\n");
    objects.add(bad);
    objects.addAll(h.upload(5));
    h.ledger(objects);

    List<LoadEvent> events = new ArrayList<>(h.coordinator().start(TABLE, h.now()));
    events.addAll(h.drain(h.coordinator()));

    h.assertInvariant();
    List<LedgerEntry> entries = h.tracker.ledgerEntries(TABLE);
    assertThat(entries).filteredOn(e -> e.state() == FileState.QUARANTINED).singleElement().satisfies(e -> {
      assertThat(e.key()).isEqualTo(bad.key());
      assertThat(e.reason()).startsWith("Redshift could not load s3://" + bad.bucket() + "/" + bad.key()
          + " into public.orders: line 1, column amount (int8), value 'r': Invalid digit")
          .contains(FakeDataApi.LOAD_ERROR).contains("FROM sys_load_error_detail");
    });
    assertThat(entries).filteredOn(e -> e.state() == FileState.LOADED).hasSize(9);
    assertThat(events).extracting(LoadEvent::action).contains("diagnosing", "quarantined", "requeued")
        .doesNotContain("split");
  }

  @Test
  void start_thousandPendingFiles_makeOneCopyWithinDataApiLimits() {
    h.ledger(h.upload(1_000));

    List<LoadEvent> events = h.coordinator().start(TABLE, h.now());

    assertThat(events).extracting(LoadEvent::action).containsExactly("started");
    assertThat(events.get(0).files()).isEqualTo(1_000);
    assertThat(h.api.submittedSql()).singleElement().satisfies(sql -> {
      assertThat(sql.size()).isLessThanOrEqualTo(BatchSqlBuilder.MAX_STATEMENTS);
      assertThat(sql.stream().mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length).sum())
          .isLessThanOrEqualTo(BatchSqlBuilder.MAX_TOTAL_BYTES);
      assertThat(sql).filteredOn(s -> s.startsWith("COPY ")).hasSize(1);
    });
    String manifestKey = "manifests/" + TABLE + "/" + events.get(0).batchId() + ".manifest";
    String manifest = new String(LoadHarness.s3().get(LoadHarness.CONFIG_BUCKET, manifestKey), StandardCharsets.UTF_8);
    assertThat(manifest.split("\"content_length\"", -1)).hasSize(1_001);
    h.drain(h.coordinator());
    h.assertInvariant();
    assertThat(h.api.loadedLines()).hasSize(2_000);
  }

  @Test
  void reconcile_completionEventLost_settlesFromDescribeStatement() {
    h.ledger(h.upload(3));
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    h.api.finishAll(); // the event is lost: nobody delivers it

    h.advance(TIMINGS.checkRunningAfter());
    List<LoadEvent> events = coordinator.reconcile(h.now());

    assertThat(events).extracting(LoadEvent::action).contains("loaded");
    h.assertInvariant();
  }

  @Test
  void onStatementEvent_setupError_holdsFilesWithoutQuarantine() {
    h.ledger(h.upload(2));
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    h.api.script(StatementState.FAILED, "ERROR: permission denied for relation orders");

    List<LoadEvent> events = coordinator.onStatementEvent(h.api.finishAll().get(0), h.now());

    assertThat(events).extracting(LoadEvent::action).contains("held");
    assertThat(h.tracker.ledgerEntries(TABLE)).allMatch(e -> e.state() == FileState.PENDING);
    assertThat(h.tracker.work(TABLE)).allMatch(w -> w.notBeforeMillis()
        == h.now().plus(TIMINGS.setupPause()).toEpochMilli());
    h.drain(coordinator);
    h.assertInvariant();
  }

  @Test
  void reconcile_transientFailuresBeyondMaxAttempts_quarantineWithTheLastError() {
    h.ledger(h.upload(1));
    LoadCoordinator coordinator = h.coordinator();
    for (int i = 0; i < 10; i++) {
      h.api.script(StatementState.FAILED, "ERROR: 1023 Serializable isolation violation");
    }
    coordinator.start(TABLE, h.now());

    List<LoadEvent> events = h.drain(coordinator);

    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(FileState.QUARANTINED);
      assertThat(e.reason()).startsWith("gave up after 10 attempts").contains("1023");
    });
    assertThat(events).filteredOn(e -> e.action().equals("retry")).hasSize(9);
  }

  @Test
  void start_submissionRefused_keepsTheBatchAndResubmitsItAsItself() {
    h.ledger(h.upload(2));
    Warehouse refusing = spy(h.warehouse);
    doThrow(new StatementRejectedException("ValidationException: cluster analytics not found", false, null))
        .when(refusing).submitBatch(any(), anyList(), anyString(), anyString());

    List<LoadEvent> events = h.coordinator(h.tracker, refusing).start(TABLE, h.now());

    assertThat(events).extracting(LoadEvent::action).containsExactly("submit-rejected");
    assertThat(h.tracker.lock(TABLE)).get().satisfies(lock -> {
      assertThat(lock.phase()).isEqualTo(LockPhase.SUBMITTING);
      assertThat(lock.leaseUntil()).isEqualTo(h.now().plus(TIMINGS.setupPause()));
    });
    h.advance(TIMINGS.setupPause().plusMinutes(1));
    List<LoadEvent> repaired = h.coordinator().reconcile(h.now());
    assertThat(repaired).extracting(LoadEvent::action).contains("started");
    assertThat(repaired.get(0).batchId()).isEqualTo(events.get(0).batchId());
    h.drain(h.coordinator());
    h.assertInvariant();
    assertThat(h.api.submittedSql()).hasSize(1);
  }

  @Test
  void start_submitOutcomeUnknown_repairAdoptsTheSubmittedStatement() {
    h.ledger(h.upload(2));
    Warehouse flaky = spy(h.warehouse);
    doAnswer(invocation -> {
      invocation.callRealMethod();
      throw new SubmitOutcomeUnknownException("connection reset after sending", null);
    }).when(flaky).submitBatch(any(), anyList(), anyString(), anyString());

    assertThat(h.coordinator(h.tracker, flaky).start(TABLE, h.now())).extracting(LoadEvent::action)
        .containsExactly("submit-unknown");
    h.advance(TIMINGS.startLease().plusMinutes(1));
    List<LoadEvent> repaired = h.coordinator().reconcile(h.now());

    assertThat(repaired).extracting(LoadEvent::action).contains("adopted");
    h.drain(h.coordinator());
    h.assertInvariant();
    assertThat(h.api.submittedSql()).as("the adopted statement is the only one").hasSize(1);
  }

  @Test
  void reconcile_statementForgottenByDataApi_resubmitsTheSameBatchWhichAppliesNothingTwice() {
    h.ledger(h.upload(3));
    LoadCoordinator coordinator = h.coordinator();
    coordinator.start(TABLE, h.now());
    h.api.finishAll(); // committed, but the event is lost ...
    h.api.forget(); // ... and a day later the Data API no longer knows the statement

    h.advance(TIMINGS.checkRunningAfter());
    List<LoadEvent> events = coordinator.reconcile(h.now());
    events.addAll(h.drain(coordinator));

    assertThat(events).extracting(LoadEvent::action).contains("forgotten", "loaded");
    h.assertInvariant();
    assertThat(h.api.loadedLines()).as("the re-run batch applied nothing twice").hasSize(6);
  }

  @Test
  void start_configMissing_defersAndLoadsOnceTheConfigExists() {
    ConfigRef missing = ConfigRef.s3(LoadHarness.CONFIG_BUCKET, "config/late-queue.json");
    h.tracker.register(TABLE, missing, h.now());
    assertThat(h.tracker.ledger(TABLE, h.upload(null), missing, h.now(), false)).isTrue();

    List<LoadEvent> events = h.coordinator().start(TABLE, h.now());

    assertThat(events).extracting(LoadEvent::action).containsExactly("deferred");
    assertThat(events.get(0).detail()).contains("config/late-queue.json");
    assertThat(h.tracker.lock(TABLE)).isEmpty();
    assertThat(h.tracker.ledgerEntries(TABLE)).allMatch(e -> e.state() == FileState.PENDING);
    LoadHarness.s3().put(LoadHarness.CONFIG_BUCKET, "config/late-queue.json",
        LoadHarness.CONFIG_JSON.getBytes(StandardCharsets.UTF_8));
    h.drain(h.coordinator());
    h.assertInvariant();
  }
}
