package dev.mbl.health;

import static dev.mbl.testing.LoadHarness.TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import dev.mbl.load.LoadCoordinator;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.TrackerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health model read from a real tracker (DynamoDB Local) after real protocol runs. */
class HealthReaderIT {
  private final LoadHarness h = new LoadHarness();
  private final LoadCoordinator coordinator = h.coordinator();
  private final TrackerStatus status = new TrackerStatus(LoadHarness.dynamo().client(), h.tracker.tableName());
  private final HealthReader reader = new HealthReader(h.tracker, status, HealthReader.DEFAULT_LOOKBACK);
  private final HealthRules rules = HealthRules.standard();

  private TableSnapshot read() {
    return reader.read(TABLE, h.now(), Duration.ofMinutes(1));
  }

  private void deliverEvents() {
    List<StatementEvent> ended = h.api.finishAll();
    while (!ended.isEmpty()) {
      for (StatementEvent event : ended) {
        coordinator.onStatementEvent(event, h.now());
      }
      ended = h.api.finishAll();
    }
  }

  @Test
  void read_quarantinedFile_criticalUntilAcknowledged() {
    List<S3ObjectRef> files = new ArrayList<>(h.upload(2));
    S3ObjectRef bad = h.upload("BAD,row\n");
    files.add(bad);
    h.ledger(files);
    h.drain(coordinator);

    TableSnapshot snapshot = read();
    assertThat(snapshot.quarantined()).isEqualTo(1);
    assertThat(snapshot.latestQuarantinedUrl()).isEqualTo(bad.url());
    assertThat(snapshot.latestQuarantineReason()).contains(bad.url());
    assertThat(snapshot.lastLoadedAt()).isNotNull();
    assertThat(snapshot.pending()).isZero();
    assertThat(snapshot.lock()).isNull();
    // drain moves the clock past back-offs: a day's window holds every settlement of this run.
    TableSnapshot day = reader.read(TABLE, h.now(), Duration.ofDays(1));
    assertThat(day.loadedInWindow()).isEqualTo(2);
    assertThat(day.quarantinedInWindow()).isEqualTo(1);
    assertThat(reader.read(TABLE, h.now().plus(Duration.ofDays(2)), Duration.ofMinutes(1)).loadedInWindow()).isZero();
    assertThat(rules.evaluate(snapshot, h.now()).health()).isEqualTo(Health.CRITICAL);

    h.advance(Duration.ofSeconds(1));
    status.acknowledge(TABLE, h.now());
    TableSnapshot acknowledged = read();
    assertThat(acknowledged.quarantined()).isZero();
    assertThat(rules.evaluate(acknowledged, h.now()).health()).isEqualTo(Health.OK);
    assertThat(status.acknowledgedAt(TABLE)).contains(h.now());
  }

  @Test
  void read_retriedQuarantine_noLongerCounted_pendingInstead() {
    S3ObjectRef bad = h.upload("BAD,row\n");
    h.ledger(List.of(bad));
    h.drain(coordinator);
    assertThat(read().quarantined()).isEqualTo(1);

    assertThat(h.tracker.ledger(TABLE, bad, h.configRef(), h.now(), true)).isTrue();
    TableSnapshot snapshot = read();
    assertThat(snapshot.quarantined()).isZero();
    assertThat(snapshot.pending()).isEqualTo(1);
    assertThat(snapshot.eligible()).isEqualTo(1);
    assertThat(snapshot.oldestPendingArrival()).isEqualTo(h.now());
  }

  @Test
  void read_transientFailure_filesBackingOff_warn() {
    h.ledger(h.upload(2));
    h.api.script(StatementState.FAILED, "ERROR: 1023 DETAIL: Serializable isolation violation on table - 100218");
    coordinator.start(TABLE, h.now());
    deliverEvents();

    TableSnapshot snapshot = read();
    assertThat(snapshot.backingOff()).isEqualTo(2);
    assertThat(snapshot.highestAttempt()).isEqualTo(1);
    assertThat(snapshot.eligible()).isZero();
    TableHealth health = rules.evaluate(snapshot, h.now());
    assertThat(health.health()).isEqualTo(Health.WARN);
    assertThat(health.reason()).startsWith("2 file(s) backing off");
  }

  @Test
  void read_lockPastLease_criticalWithRunningBatch() {
    h.ledger(h.upload(1));
    h.api.script(StatementState.FINISHED, null);
    coordinator.start(TABLE, h.now());
    TableSnapshot running = read();
    assertThat(running.lock()).isNotNull();
    assertThat(running.runningBatch()).isNotNull();
    assertThat(running.runningBatch().batchId()).isEqualTo(running.lock().batchId());
    assertThat(rules.evaluate(running, h.now()).health()).isEqualTo(Health.OK);

    h.advance(LoadHarness.TIMINGS.runningLease().plus(Duration.ofMinutes(2)));
    TableHealth stuck = rules.evaluate(read(), h.now());
    assertThat(stuck.health()).isEqualTo(Health.CRITICAL);
    assertThat(stuck.reason()).contains(running.lock().batchId(), "past its lease");
  }

  @Test
  void read_eligibleFilesAndNoLoadStarting_stalledCritical_untilALoadStarts() {
    h.ledger(h.upload(1));
    h.advance(Duration.ofMinutes(4));
    TableHealth stalled = rules.evaluate(read(), h.now());
    assertThat(stalled.health()).isEqualTo(Health.CRITICAL);
    assertThat(stalled.reason()).isEqualTo("1 file(s) could load for 4m but no load starts (every start is deferred)");

    h.api.script(StatementState.FINISHED, null);
    coordinator.start(TABLE, h.now());
    assertThat(rules.evaluate(read(), h.now()).health()).isEqualTo(Health.OK);
  }

  @Test
  void read_backlogBetweenBatches_stallCountsFromTheNewestStart() {
    h.ledger(h.upload(3));
    h.advance(Duration.ofMinutes(10));
    coordinator.start(TABLE, h.now());
    deliverEvents();
    h.ledger(h.upload(1));
    TableSnapshot between = read();
    assertThat(between.lock()).isNull();
    assertThat(between.oldestEligibleSince()).isEqualTo(h.now());
    assertThat(rules.evaluate(between, h.now().plus(Duration.ofMinutes(2))).health()).isEqualTo(Health.OK);
  }

  @Test
  void work_max_readsOnlyTheOldestItems() {
    h.ledger(h.upload(3));
    var first = status.work(TABLE, 2);
    assertThat(first).hasSize(2);
    assertThat(first.get(0).sortKey()).isLessThan(first.get(1).sortKey());
    assertThat(status.work(TABLE, 10)).hasSize(3);
  }

  @Test
  void batchesNewestFirst_ordersByBatchId() {
    h.ledger(h.upload(1));
    h.drain(coordinator);
    h.advance(Duration.ofSeconds(5));
    h.ledger(h.upload(1));
    h.drain(coordinator);
    var batches = status.batchesNewestFirst(TABLE, 10);
    assertThat(batches).hasSizeGreaterThanOrEqualTo(2);
    assertThat(batches.get(0).batchId()).isGreaterThan(batches.get(1).batchId());
    assertThat(status.batchesNewestFirst(TABLE, 1)).hasSize(1);

    var summaries = status.batchSummariesNewestFirst(TABLE, 1);
    var newest = summaries.next();
    assertThat(newest.batchId()).isEqualTo(batches.get(0).batchId());
    assertThat(newest.workKeys()).as("summaries leave out the file list").isEmpty();
    assertThat(batches.get(0).workKeys()).isNotEmpty();
    assertThat(summaries.next().batchId()).isEqualTo(batches.get(1).batchId());
  }
}
