package dev.mbl.load;

import static dev.mbl.testing.LoadHarness.TABLE;
import static dev.mbl.testing.LoadHarness.TIMINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import dev.mbl.event.StatementEvent;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;

/**
 * Completing a committed batch with plain writes (docs/protocol.md, sections 2 and 3): ledger
 * entries first, then the work items, no lock check. A crash between the two, and a late second
 * completion after the table moved on, change nothing that should not change.
 */
class CompletionIT {
  private final LoadHarness h = new LoadHarness();

  private static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash before the work items were deleted");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void reconcile_crashAfterLedgerUpdatesBeforeWorkDeletes_settlesEveryFileOnce() {
    h.ledger(h.upload(60));
    DynamoDbClient real = LoadHarness.dynamo().client();
    DynamoDbClient failing = mock(DynamoDbClient.class, delegatesTo(real));
    doThrow(new SimulatedCrash()).when(failing).batchWriteItem(any(Consumer.class));
    doThrow(new SimulatedCrash()).when(failing).batchWriteItem(any(BatchWriteItemRequest.class));
    DynamoDbTracker crashingTracker = new DynamoDbTracker(failing, h.tracker.tableName(), Duration.ofDays(30));
    LoadCoordinator crashing = h.coordinator(crashingTracker, h.warehouse);
    crashing.start(TABLE, h.now());
    assertThatThrownBy(() -> {
      for (StatementEvent event : h.api.finishAll()) {
        crashing.onStatementEvent(event, h.now());
      }
    }).isInstanceOf(SimulatedCrash.class);
    assertThat(h.tracker.ledgerEntries(TABLE)).extracting(LedgerEntry::state).containsOnly(FileState.LOADED);
    assertThat(h.tracker.work(TABLE)).as("work left behind by the crash").hasSize(60);
    assertThat(h.tracker.lock(TABLE)).as("the committed batch still holds the lock").isPresent();

    h.advance(TIMINGS.checkRunningAfter());
    List<LoadEvent> events = h.coordinator().reconcile(h.now());
    h.drain(h.coordinator());

    assertThat(events).extracting(LoadEvent::action).contains("loaded");
    h.assertInvariant();
    assertThat(h.api.loadedLines()).hasSize(120);
    assertThat(h.api.submissions()).as("the committed batch is settled, not run again").isEqualTo(1);
  }

  @Test
  void complete_lateRepeatAfterTheNextBatchStarted_changesNeitherBatchsFiles() {
    h.ledger(h.upload(3));
    h.coordinator().start(TABLE, h.now());
    h.drain(h.coordinator());
    BatchRecord first = h.tracker.batches(TABLE).get(0);
    h.ledger(h.upload(2));
    h.coordinator().start(TABLE, h.now());
    String running = h.tracker.lock(TABLE).orElseThrow().batchId();

    // A settler of the first batch that stalled past its lease wakes up and completes it again.
    h.tracker.complete(TABLE, first.batchId(), first.workKeys(), h.now());

    assertThat(h.tracker.ledgerEntries(TABLE)).filteredOn(e -> e.batchId().equals(first.batchId()))
        .hasSize(3).extracting(LedgerEntry::state).containsOnly(FileState.LOADED);
    assertThat(h.tracker.ledgerEntries(TABLE)).filteredOn(e -> e.batchId().equals(running))
        .hasSize(2).extracting(LedgerEntry::state).containsOnly(FileState.LOADING);
    assertThat(h.tracker.work(TABLE)).hasSize(2);
    h.drain(h.coordinator());
    h.assertInvariant();
    assertThat(h.api.loadedLines()).hasSize(10);
  }
}
