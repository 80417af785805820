package dev.mbl.load;

import static dev.mbl.testing.LoadHarness.TABLE;
import static dev.mbl.testing.LoadHarness.TIMINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.Lock;
import dev.mbl.warehouse.Warehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.stubbing.Answer;

/**
 * A loader that dies right after any one protocol step (the step took effect, nothing after it
 * ran, its event is lost) is repaired by the reconciler within the lease plus one reconcile
 * period, and every file still ends LOADED exactly once.
 */
class CrashRecoveryIT {
  /** Thrown by the injected failure: an Error, so no catch-all in the code under test swallows it. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String step) {
      super("simulated crash after " + step);
    }
  }

  enum Step {
    ACQUIRE, CREATE_BATCH, CLAIM, MARK_SUBMITTING, SUBMIT, MARK_RUNNING, COMPLETE, FINISH_BATCH, RELEASE_AFTER_LOAD
  }

  /** The deployment's reconcile schedule. */
  private static final Duration RECONCILE_PERIOD = Duration.ofMinutes(1);

  private final LoadHarness h = new LoadHarness();

  /** Lets the real method take effect, then dies: a crash right after that step. */
  private static Answer<Object> crashAfter(String step) {
    return invocation -> {
      invocation.callRealMethod();
      throw new SimulatedCrash(step);
    };
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void reconcile_crashAfterStep_repairsWithinLeaseAndLoadsEveryFileOnce(Step step) {
    h.ledger(h.upload(5));
    DynamoDbTracker tracker = spy(h.tracker);
    Warehouse warehouse = spy(h.warehouse);
    Answer<Object> crashAfter = crashAfter(step.name());
    switch (step) {
      case ACQUIRE -> doAnswer(crashAfter).when(tracker).acquire(any(), anyString(), any(), any());
      case CREATE_BATCH -> doAnswer(crashAfter).when(tracker).createBatch(any(), any());
      case CLAIM -> doAnswer(crashAfter).when(tracker).claim(any(), anyString(), anyList(), any());
      case MARK_SUBMITTING -> doAnswer(crashAfter).when(tracker).markSubmitting(any(), anyString(), anyString(),
          anyString(), any());
      case SUBMIT -> doAnswer(crashAfter).when(warehouse).submitBatch(any(), anyList(), anyString(), anyString());
      case MARK_RUNNING -> doAnswer(crashAfter).when(tracker).markRunning(any(), anyString(), anyString(), any(),
          any());
      case COMPLETE -> doAnswer(crashAfter).when(tracker).complete(any(), anyString(), anyList(), any());
      case FINISH_BATCH -> doAnswer(crashAfter).when(tracker).finishBatch(any(), anyString(), any(), any(), any(),
          any());
      case RELEASE_AFTER_LOAD -> doAnswer(crashAfter).when(tracker).release(any(), anyString());
    }
    LoadCoordinator crashing = h.coordinator(tracker, warehouse);

    boolean crashed = false;
    boolean lateArrived = false;
    try {
      crashing.start(TABLE, h.now());
      h.ledger(List.of(h.upload(null))); // arrives while the table is locked
      lateArrived = true;
      for (StatementEvent event : h.api.finishAll()) {
        crashing.onStatementEvent(event, h.now());
      }
    } catch (SimulatedCrash expected) {
      crashed = true;
    }
    if (!lateArrived) {
      h.ledger(List.of(h.upload(null)));
    }
    assertThat(crashed).as("the injected crash after %s happened", step).isTrue();
    Optional<Lock> stuck = h.tracker.lock(TABLE);
    if (step != Step.RELEASE_AFTER_LOAD) {
      assertThat(stuck).as("a crashed loader leaves the table locked").isPresent();
    }
    h.api.finishAll(); // whatever was submitted ends; its event died with the loader

    LoadCoordinator healthy = h.coordinator();
    // Rule 8's bound: the crashed batch's own lease (start lease before submission, running lease
    // after) plus one reconcile period.
    h.advance(stuck.map(l -> Duration.between(h.now(), l.leaseUntil())).orElse(Duration.ZERO)
        .plus(RECONCILE_PERIOD));
    healthy.reconcile(h.now());

    if (stuck.isPresent()) {
      // Repaired: released, taken by a new batch, or rolled forward to a running statement that
      // this reconcile has just checked.
      Optional<Lock> after = h.tracker.lock(TABLE);
      assertThat(after).as("lock one reconcile period after the crashed batch's lease").satisfiesAnyOf(
          a -> assertThat(a).isEmpty(),
          a -> assertThat(a.get().batchId()).isNotEqualTo(stuck.get().batchId()),
          a -> {
            assertThat(a.get().phase()).isEqualTo(dev.mbl.tracker.LockPhase.RUNNING);
            assertThat(a.get().statementId()).isNotNull();
            assertThat(a.get().checkedAt()).isEqualTo(h.now());
          });
    }
    h.drain(healthy);
    h.assertInvariant();
    assertThat(h.api.loadedLines()).as("6 files of 2 rows, each once").hasSize(12);
  }

  @ParameterizedTest
  @EnumSource(value = Step.class, names = {"MARK_SUBMITTING", "SUBMIT"})
  void reconcile_crashBeforeStatementRecordedAndNameLookupEmpty_resubmitsWithSameToken(Step step) {
    h.ledger(h.upload(2));
    DynamoDbTracker tracker = spy(h.tracker);
    Warehouse warehouse = spy(h.warehouse);
    Answer<Object> crashAfter = crashAfter(step.name());
    if (step == Step.SUBMIT) {
      doAnswer(crashAfter).when(warehouse).submitBatch(any(), anyList(), anyString(), anyString());
    } else {
      doAnswer(crashAfter).when(tracker).markSubmitting(any(), anyString(), anyString(), anyString(), any());
    }
    try {
      h.coordinator(tracker, warehouse).start(TABLE, h.now());
    } catch (SimulatedCrash expected) {
      // the loader died
    }
    Warehouse forgetful = spy(h.warehouse);
    doAnswer(i -> Optional.empty()).when(forgetful).findByName(any(), anyString());
    LoadCoordinator healthy = h.coordinator(h.tracker, forgetful);
    h.advance(TIMINGS.startLease().plus(Duration.ofMinutes(1)));

    healthy.reconcile(h.now());
    h.drain(healthy);

    h.assertInvariant();
    assertThat(h.api.submittedSql()).as("distinct statements: the retry reused the client token").hasSize(1);
  }

  /**
   * Only files that arrived more than half the retention before their batch are written at the
   * take (their TTL is refreshed, docs/protocol.md section 3); a crash between those chunks.
   */
  @org.junit.jupiter.api.Test
  void reconcile_crashBetweenClaimChunksOfOldFiles_rollsBackAndLoadsEveryFileOnce() {
    h.ledger(h.upload(120));
    h.advance(Duration.ofDays(16));
    DynamoDbTracker tracker = spy(h.tracker);
    doAnswer(invocation -> {
      List<dev.mbl.tracker.WorkItem> items = invocation.getArgument(2);
      h.tracker.claim(invocation.getArgument(0), invocation.getArgument(1), items.subList(0, 49),
          invocation.getArgument(3));
      throw new SimulatedCrash("first claim chunk");
    }).when(tracker).claim(any(), anyString(), anyList(), any());
    try {
      h.coordinator(tracker, h.warehouse).start(TABLE, h.now());
    } catch (SimulatedCrash expected) {
      // died with 49 of 120 files marked
    }
    assertThat(rawWork()).filteredOn(w -> w.hasS("batch_id")).hasSize(49);

    h.advance(TIMINGS.startLease().plus(Duration.ofMinutes(1)));
    List<LoadEvent> events = h.coordinator().reconcile(h.now());
    h.drain(h.coordinator());

    assertThat(events).extracting(LoadEvent::action).contains("rolled-back", "started");
    h.assertInvariant();
    assertThat(h.api.loadedLines()).hasSize(240);
  }

  @org.junit.jupiter.api.Test
  void start_recentFiles_writesNothingPerFileToTakeThem() {
    h.ledger(h.upload(3));

    h.coordinator().start(TABLE, h.now());

    assertThat(rawWork()).hasSize(3).allSatisfy(w -> assertThat(w.hasS("batch_id")).isFalse());
    assertThat(h.tracker.work(TABLE)).as("the operators' view: taken by the running batch")
        .allSatisfy(w -> assertThat(w.batchId()).isEqualTo(h.tracker.lock(TABLE).orElseThrow().batchId()));
    assertThat(h.tracker.ledgerEntries(TABLE)).extracting(dev.mbl.tracker.LedgerEntry::state)
        .containsOnly(dev.mbl.tracker.FileState.LOADING);
  }

  /** The work items as stored, without the operators' view of the running batch. */
  private List<RawItem> rawWork() {
    return LoadHarness.dynamo().client().query(q -> q.tableName(h.tracker.tableName()).consistentRead(true)
        .keyConditionExpression("pk = :pk AND begins_with(sk, :w)").expressionAttributeValues(java.util.Map.of(
            ":pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(TABLE.toString()),
            ":w", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("WORK#"))))
        .items().stream().map(RawItem::new).toList();
  }

  private record RawItem(java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
    boolean hasS(String name) {
      return item.containsKey(name) && item.get(name).s() != null;
    }
  }

  @org.junit.jupiter.api.Test
  void reconcile_crashWhileSplittingAfterDataError_repeatsTheSplitAndQuarantinesOnlyTheBadFile() {
    List<S3ObjectRef> objects = new ArrayList<>(h.upload(3));
    S3ObjectRef bad = h.upload("BAD,row\n");
    objects.add(bad);
    h.ledger(objects);
    DynamoDbTracker tracker = spy(h.tracker);
    doAnswer(crashAfter("requeue of the split")).when(tracker).requeue(any(), anyString(), anyList(), any());
    LoadCoordinator crashing = h.coordinator(tracker, h.warehouse);
    crashing.start(TABLE, h.now());
    try {
      for (StatementEvent event : h.api.finishAll()) {
        crashing.onStatementEvent(event, h.now());
      }
    } catch (SimulatedCrash expected) {
      // died after requeueing the halves, before recording the batch and releasing
    }

    h.advance(TIMINGS.checkRunningAfter());
    h.coordinator().reconcile(h.now());
    h.drain(h.coordinator());

    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).filteredOn(e -> e.state() == dev.mbl.tracker.FileState.QUARANTINED)
        .singleElement().satisfies(e -> assertThat(e.key()).isEqualTo(bad.key()));
  }

  @org.junit.jupiter.api.Test
  void reconcile_crashAfterLedgeringBeforeStart_startsTheLoad() {
    List<S3ObjectRef> files = h.upload(2);
    DynamoDbTracker tracker = spy(h.tracker);
    // The files of a message are ledgered in parallel: the first one's write takes effect, the
    // process dies before the second one's.
    doAnswer(invocation -> {
      if (!invocation.<S3ObjectRef>getArgument(1).key().equals(files.get(0).key())) {
        throw new SimulatedCrash("before the second ledger write");
      }
      invocation.callRealMethod();
      throw new SimulatedCrash("ledger");
    }).when(tracker).ledger(any(), any(), any(), any(), org.mockito.ArgumentMatchers.anyBoolean());
    FileIntake crashing = new FileIntake(tracker, h.configs::load,
        new dev.mbl.config.QueueConfigLocator(LoadHarness.CONFIG_BUCKET, "config/"),
        dev.mbl.event.S3EventParser.create(), h.coordinator(tracker, h.warehouse));
    try {
      crashing.accept(List.of(h.message("m1", files.get(0), files.get(1))), h.now());
    } catch (SimulatedCrash expected) {
      // died after ledgering the first file; SQS would redeliver, but the reconciler must not need it
    }
    assertThat(h.tracker.work(TABLE)).hasSize(1);

    h.advance(RECONCILE_PERIOD);
    h.coordinator().reconcile(h.now());
    h.drain(h.coordinator());

    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).singleElement()
        .satisfies(e -> assertThat(e.key()).isEqualTo(files.get(0).key()));
  }

  @org.junit.jupiter.api.Test
  void reconcile_crashAfterManifestWrite_rollsBackAndLoadsEveryFileOnce() {
    h.ledger(h.upload(2));
    dev.mbl.manifest.ManifestWriter manifests = spy(h.manifests());
    doAnswer(crashAfter("manifest write")).when(manifests).write(any(), anyString(), anyList());
    try {
      h.coordinator(h.tracker, h.warehouse, manifests).start(TABLE, h.now());
    } catch (SimulatedCrash expected) {
      // died with the manifest written and the lock CLAIMING
    }
    Lock stuck = h.tracker.lock(TABLE).orElseThrow();
    assertThat(stuck.phase()).isEqualTo(dev.mbl.tracker.LockPhase.CLAIMING);

    h.advance(Duration.between(h.now(), stuck.leaseUntil()).plus(RECONCILE_PERIOD));
    List<LoadEvent> events = h.coordinator().reconcile(h.now());
    h.drain(h.coordinator());

    assertThat(events).extracting(LoadEvent::action).contains("rolled-back", "started");
    h.assertInvariant();
  }

  @org.junit.jupiter.api.Test
  void reconcile_crashBetweenCompleteChunks_settlesTheRestOnce() {
    h.ledger(h.upload(60));
    DynamoDbTracker tracker = spy(h.tracker);
    doAnswer(invocation -> {
      List<String> keys = invocation.getArgument(2);
      h.tracker.complete(invocation.getArgument(0), invocation.getArgument(1), keys.subList(0, 49),
          invocation.getArgument(3));
      throw new SimulatedCrash("first complete chunk");
    }).when(tracker).complete(any(), anyString(), anyList(), any());
    LoadCoordinator crashing = h.coordinator(tracker, h.warehouse);
    crashing.start(TABLE, h.now());
    try {
      for (StatementEvent event : h.api.finishAll()) {
        crashing.onStatementEvent(event, h.now());
      }
    } catch (SimulatedCrash expected) {
      // 49 of 60 files LOADED, the lock still held by the committed batch
    }
    assertThat(h.tracker.ledgerEntries(TABLE)).filteredOn(e -> e.state() == dev.mbl.tracker.FileState.LOADED)
        .hasSize(49);

    h.advance(TIMINGS.checkRunningAfter());
    h.coordinator().reconcile(h.now());
    h.drain(h.coordinator());

    h.assertInvariant();
    assertThat(h.api.loadedLines()).hasSize(120);
  }
}
