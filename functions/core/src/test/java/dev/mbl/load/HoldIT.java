package dev.mbl.load;

import static dev.mbl.testing.LoadHarness.TABLE;
import static dev.mbl.testing.LoadHarness.TIMINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.spy;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import dev.mbl.testing.FakeDataApi;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LockPhase;
import dev.mbl.warehouse.DataApiWarehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;

/**
 * No Redshift rule costs a good file: errors that hit every file hold the table with the reason
 * logged as "held" (the SetupProblems alarm's action); an unrecognised error is split only to test
 * whether a file causes it (docs/protocol.md, 7b); throttling backs off briefly.
 */
class HoldIT {
  private static final String ODD = "ERROR: XX000: odd failure in \"mbl_stage_%s\" at %d";

  private final LoadHarness h = new LoadHarness();
  private final LoadCoordinator coordinator = h.coordinator();
  private final List<LoadEvent> events = new ArrayList<>();

  /** Delivers every pending event, over and over, until no statement runs. */
  private void deliverEvents() {
    List<StatementEvent> ended = h.api.finishAll();
    while (!ended.isEmpty()) {
      for (StatementEvent event : ended) {
        events.addAll(coordinator.onStatementEvent(event, h.now()));
      }
      ended = h.api.finishAll();
    }
  }

  private void assertHeldWithoutQuarantine(int files) {
    assertThat(h.tracker.ledgerEntries(TABLE)).hasSize(files).allMatch(e -> e.state() == FileState.PENDING);
    assertThat(h.tracker.work(TABLE)).allMatch(w -> w.notBeforeMillis() > h.now().toEpochMilli());
    assertThat(h.tracker.lock(TABLE)).isEmpty();
    assertThat(events).extracting(LoadEvent::action).contains("held").doesNotContain("quarantined");
  }

  /** "statement_timeout": a timed-out query fails with "Query (N) cancelled on user's request". */
  @Test
  void onStatementEvent_statementTimeout_holdsEveryFileWithTheReason() {
    h.ledger(h.upload(4));
    coordinator.start(TABLE, h.now());
    h.api.script(StatementState.FAILED, "ERROR: Query (500123) cancelled on user's request");

    deliverEvents();

    assertHeldWithoutQuarantine(4);
    assertThat(events).filteredOn(e -> e.action().equals("held")).singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("cancelled on user's request"));
    BatchRecord failed = h.tracker.batch(TABLE, events.get(0).batchId()).orElseThrow();
    assertThat(failed.errorClass()).isEqualTo("SETUP");
  }

  @Test
  void drain_unknownErrorAndBothHalvesFailTheSameWay_holdsEveryFileWithoutQuarantine() {
    h.ledger(h.upload(4));
    for (int i = 0; i < 4; i++) { // the batch, half a, half b, half a again
      h.api.script(StatementState.FAILED, ODD.formatted("01HZX3K7M2Q4R6T8V0W2Y4A6C" + i, 10 + i));
    }
    coordinator.start(TABLE, h.now());
    deliverEvents();
    h.advance(TIMINGS.retryBase().plusSeconds(1));
    events.addAll(coordinator.reconcile(h.now()));
    deliverEvents();

    assertHeldWithoutQuarantine(4);
    assertThat(events).extracting(LoadEvent::action)
        .containsSubsequence("split", "split-wait", "held", "held").doesNotContain("retry");
    assertThat(events).filteredOn(e -> e.action().equals("held"))
        .allSatisfy(e -> assertThat(e.detail()).contains("both halves of batch").contains("odd failure"));
    assertThat(h.api.submittedSql()).as("the batch, two halves, the first half once more").hasSize(4);
  }

  @Test
  void drain_unknownErrorAndTheOtherHalfLoads_quarantinesOnlyTheFileThatFailsAlone() {
    List<S3ObjectRef> objects = h.upload(2);
    h.ledger(objects);
    h.api.script(StatementState.FAILED, ODD.formatted("01HZX3K7M2Q4R6T8V0W2Y4A6C0", 1));
    coordinator.start(TABLE, h.now());
    events.addAll(coordinator.onStatementEvent(h.api.finishAll().get(0), h.now())); // split; half a runs
    events.addAll(coordinator.onStatementEvent(h.api.finishAll().get(0), h.now())); // half a loads; b runs
    h.api.script(StatementState.FAILED, ODD.formatted("01HZX3K7M2Q4R6T8V0W2Y4A6C2", 2));

    deliverEvents();

    assertThat(h.tracker.ledgerEntries(TABLE)).filteredOn(e -> e.state() == FileState.QUARANTINED).singleElement()
        .satisfies(e -> {
          assertThat(e.key()).isEqualTo(objects.get(1).key());
          assertThat(e.reason()).contains("odd failure");
        });
    assertThat(events).extracting(LoadEvent::action).containsSubsequence("split", "loaded", "quarantined");
    h.api.finishAll();
    assertThat(h.tracker.lock(TABLE)).isEmpty();
    assertThat(h.tracker.work(TABLE)).isEmpty();
  }

  @Test
  void onStatementEvent_unknownErrorOnSingleFile_heldNotQuarantined() {
    h.ledger(h.upload(1));
    coordinator.start(TABLE, h.now());
    h.api.script(StatementState.FAILED, "ERROR: something nobody has seen before");

    deliverEvents();

    assertHeldWithoutQuarantine(1);
  }

  /** "COPY from columnar data formats": a column-count mismatch names the file; only it is quarantined. */
  @Test
  void drain_columnarErrorNamingAFile_quarantinesExactlyThatFileWithoutBisecting() {
    List<S3ObjectRef> objects = h.upload(5);
    h.ledger(objects);
    S3ObjectRef wrong = objects.get(2);
    String error = "Spectrum Scan Error\n  DETAIL:\n  code:      15007\n  context:   Unmatched number of columns "
        + "between table and file. Table columns: 2, Data columns: 3, File name: https://s3.us-east-1.amazonaws.com/"
        + wrong.bucket() + "/" + wrong.key() + "\n";
    h.api.script(StatementState.FAILED, error);
    events.addAll(coordinator.start(TABLE, h.now()));

    events.addAll(h.drain(coordinator));

    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).filteredOn(e -> e.state() == FileState.QUARANTINED).singleElement()
        .satisfies(e -> {
          assertThat(e.key()).isEqualTo(wrong.key());
          assertThat(e.reason()).contains("Table columns: 2, Data columns: 3");
        });
    assertThat(events).extracting(LoadEvent::action).containsSubsequence("quarantined", "requeued", "loaded")
        .doesNotContain("split", "diagnosing");
    assertThat(h.api.submittedSql()).hasSize(2);
  }

  /** The Data API throttles with HTTP 400 and __type ThrottlingException ("Common Errors"). */
  @Test
  void start_submissionThrottledWith400_backsOffBrieflyThenLoads() {
    h.ledger(h.upload(2));
    FakeDataApi throttling = spy(h.api);
    doAnswer(i -> {
      throw RedshiftDataException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
          .errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build();
    }).doCallRealMethod().when(throttling).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    List<LoadEvent> refused = h.coordinator(h.tracker, new DataApiWarehouse(throttling)).start(TABLE, h.now());

    assertThat(refused).extracting(LoadEvent::action).containsExactly("submit-rejected");
    assertThat(h.tracker.lock(TABLE)).get().satisfies(lock -> {
      assertThat(lock.phase()).isEqualTo(LockPhase.SUBMITTING);
      assertThat(lock.leaseUntil()).isEqualTo(h.now().plus(TIMINGS.retryBase()));
    });
    h.advance(TIMINGS.retryBase().plus(Duration.ofMinutes(1)));
    h.drain(h.coordinator());
    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(TABLE)).allMatch(e -> e.state() == FileState.LOADED);
  }

  @Test
  void reconcile_crashAfterNoteHalf_decidesTheSame() {
    h.ledger(h.upload(4));
    for (int i = 0; i < 4; i++) {
      h.api.script(StatementState.FAILED, ODD.formatted("01HZX3K7M2Q4R6T8V0W2Y4A6C" + i, 10 + i));
    }
    DynamoDbTracker tracker = spy(h.tracker);
    doAnswer(i -> {
      i.callRealMethod();
      throw new CrashRecoveryIT.SimulatedCrash("note half");
    }).doCallRealMethod().when(tracker).noteHalf(any(), anyString(), anyString(), anyString());
    LoadCoordinator crashing = h.coordinator(tracker, h.warehouse);
    crashing.start(TABLE, h.now());
    crashing.onStatementEvent(h.api.finishAll().get(0), h.now()); // split
    try {
      crashing.onStatementEvent(h.api.finishAll().get(0), h.now()); // half a fails; dies after noting it
    } catch (CrashRecoveryIT.SimulatedCrash expected) {
      // the half's lock stays RUNNING
    }

    h.advance(TIMINGS.checkRunningAfter());
    events.addAll(coordinator.reconcile(h.now()));
    deliverEvents();
    h.advance(TIMINGS.retryBase().plusSeconds(1));
    events.addAll(coordinator.reconcile(h.now()));
    deliverEvents();

    assertHeldWithoutQuarantine(4);
    assertThat(events).extracting(LoadEvent::action).containsSubsequence("split-wait", "held", "held");
  }
}
