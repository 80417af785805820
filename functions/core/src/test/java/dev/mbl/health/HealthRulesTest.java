package dev.mbl.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.load.TableKey;
import dev.mbl.tracker.Lock;
import dev.mbl.tracker.LockPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health rules of docs/operations.md, one by one, and which one wins. */
class HealthRulesTest {
  private static final TableKey TABLE = TableKey.parse("analytics/dev/public.orders");
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private final HealthRules rules = HealthRules.standard();

  private static TableSnapshot snapshot(int pending, int eligible, Instant oldestEligible, int backingOff, Lock lock,
      String held, int quarantined, Instant lastLoaded, Integer dlq, Duration expectation) {
    return new TableSnapshot(TABLE, pending, eligible, pending > 0 ? NOW.minusSeconds(30) : null, oldestEligible,
        backingOff, backingOff > 0 ? 3 : 0, lock, null, held, quarantined,
        quarantined > 0 ? "s3://landing/orders/bad.csv" : null,
        quarantined > 0 ? "Redshift could not load this file: Invalid digit\nFailing rows: ..." : null, lastLoaded,
        dlq, expectation, 0, 0);
  }

  private static Lock lock(Instant leaseUntil) {
    return new Lock(TABLE, "01BATCH", LockPhase.RUNNING, "stmt-1", null, leaseUntil, NOW.minusSeconds(600));
  }

  @Test
  void evaluate_quietTableWithRecentLoad_isOkSayingWhen() {
    TableHealth health = rules.evaluate(snapshot(0, 0, null, 0, null, null, 0, NOW.minusSeconds(120), 0, null), NOW);
    assertThat(health.health()).isEqualTo(Health.OK);
    assertThat(health.reason()).isEqualTo("idle, last load 2m ago");
    assertThat(health.action()).isEqualTo("none");
    assertThat(health.findings()).isEmpty();
  }

  @Test
  void evaluate_lockWithinLeasePlusOneReconcile_isOk() {
    TableHealth health = rules.evaluate(snapshot(2, 2, NOW.minusSeconds(3600), 0, lock(NOW.minusSeconds(59)), null, 0,
        null, null, null), NOW);
    assertThat(health.health()).isEqualTo(Health.OK);
    assertThat(health.reason()).startsWith("loading batch 01BATCH, 2 pending");
  }

  @Test
  void evaluate_lockPastLeasePlusOneReconcile_isCriticalAndSaysReconcile() {
    TableHealth health = rules.evaluate(snapshot(0, 0, null, 0, lock(NOW.minusSeconds(61)), null, 0, null, null, null),
        NOW);
    assertThat(health.health()).isEqualTo(Health.CRITICAL);
    assertThat(health.reason()).contains("01BATCH", "RUNNING", "past its lease");
    assertThat(health.action()).startsWith("run `mbl reconcile`");
  }

  @Test
  void evaluate_quarantinedNotAcknowledged_isCriticalNamingFileAndCommands() {
    TableHealth health = rules.evaluate(snapshot(0, 0, null, 0, null, null, 2, NOW, null, null), NOW);
    assertThat(health.health()).isEqualTo(Health.CRITICAL);
    assertThat(health.reason()).isEqualTo("2 file(s) quarantined since the last acknowledgement, latest "
        + "s3://landing/orders/bad.csv: Redshift could not load this file: Invalid digit");
    assertThat(health.action()).contains("mbl file s3://landing/orders/bad.csv",
        "mbl retry public.orders --all-quarantined", "mbl ack public.orders");
  }

  @Test
  void evaluate_deadLetters_isCriticalWithRedrive() {
    TableHealth health = rules.evaluate(snapshot(0, 0, null, 0, null, null, 0, NOW, 3, null), NOW);
    assertThat(health.health()).isEqualTo(Health.CRITICAL);
    assertThat(health.reason()).startsWith("3 message(s)");
    assertThat(health.action()).contains("mbl dlq public.orders --redrive");
  }

  @Test
  void evaluate_heldOnSetupProblem_isCriticalWithRedshiftText() {
    TableHealth health = rules.evaluate(snapshot(4, 0, null, 0, null,
        "ERROR: permission denied for relation orders", 0, NOW, null, null), NOW);
    assertThat(health.health()).isEqualTo(Health.CRITICAL);
    assertThat(health.reason()).isEqualTo("held on a setup problem, 4 file(s) wait: ERROR: permission denied for "
        + "relation orders");
  }

  @Test
  void evaluate_eligibleFilesAndNoLockForThreeReconciles_isCriticalStalled() {
    assertThat(rules.evaluate(snapshot(1, 1, NOW.minusSeconds(179), 0, null, null, 0, null, null, null), NOW)
        .health()).isEqualTo(Health.OK);
    TableHealth stalled = rules.evaluate(snapshot(1, 1, NOW.minusSeconds(181), 0, null, null, 0, null, null, null),
        NOW);
    assertThat(stalled.health()).isEqualTo(Health.CRITICAL);
    assertThat(stalled.reason()).contains("no load starts");
    assertThat(stalled.action()).contains("mbl validate");
  }

  @Test
  void evaluate_filesBackingOff_isWarnNeedingNoAction() {
    TableHealth health = rules.evaluate(snapshot(2, 0, null, 2, null, null, 0, NOW, 0, null), NOW);
    assertThat(health.health()).isEqualTo(Health.WARN);
    assertThat(health.reason()).isEqualTo("2 file(s) backing off after transient errors (attempt 3)");
    assertThat(health.action()).startsWith("none: mbl retries on its own");
  }

  @Test
  void evaluate_noLoadWithinExpectation_isWarn() {
    Duration sixHours = Duration.ofHours(6);
    assertThat(rules.evaluate(snapshot(0, 0, null, 0, null, null, 0, NOW.minus(Duration.ofHours(5)), null, sixHours),
        NOW).health()).isEqualTo(Health.OK);
    TableHealth stale = rules.evaluate(snapshot(0, 0, null, 0, null, null, 0,
        NOW.minus(Duration.ofHours(7)), null, sixHours), NOW);
    assertThat(stale.health()).isEqualTo(Health.WARN);
    assertThat(stale.reason()).isEqualTo("no file loaded for 7h, expected within 6h");
  }

  @Test
  void evaluate_noExpectation_neverStale() {
    assertThat(rules.evaluate(snapshot(0, 0, null, 0, null, null, 0, NOW.minus(Duration.ofDays(20)), null, null), NOW)
        .health()).isEqualTo(Health.OK);
  }

  @Test
  void evaluate_neverLoaded_stalenessCountsFromOldestPendingFile() {
    TableSnapshot waiting = new TableSnapshot(TABLE, 1, 0, NOW.minus(Duration.ofHours(2)), null, 0, 0,
        lock(NOW.plusSeconds(60)), null, null, 0, null, null, null, null, Duration.ofHours(1), 0, 0);
    assertThat(rules.evaluate(waiting, NOW).reason()).isEqualTo("nothing loaded yet, the first file waits 2h, "
        + "expected within 1h");
  }

  @Test
  void evaluate_severalFindings_worstFirstAndAllListed() {
    TableHealth health = rules.evaluate(snapshot(2, 0, null, 2, null, null, 1, NOW.minus(Duration.ofHours(9)), 1,
        Duration.ofHours(6)), NOW);
    assertThat(health.health()).isEqualTo(Health.CRITICAL);
    assertThat(health.findings()).extracting(TableHealth.Finding::health)
        .containsExactly(Health.CRITICAL, Health.CRITICAL, Health.WARN, Health.WARN);
    assertThat(health.reason()).contains("quarantined");
  }

  @Test
  void snapshot_eligibleAbovePending_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TableSnapshot(TABLE, 1, 2, null, null, 0, 0, null,
        null, null, 0, null, null, null, null, null, 0, 0)).hasMessageContaining("cannot exceed pending 1");
  }

  @Test
  void health_codes_areTheMetricValues() {
    assertThat(List.of(Health.values())).extracting(Health::code).containsExactly(0, 1, 2);
    assertThat(Health.WARN.worse(Health.CRITICAL)).isEqualTo(Health.CRITICAL);
    assertThat(Health.WARN.worse(Health.OK)).isEqualTo(Health.WARN);
  }

  @Test
  void durations_human_roundsDown() {
    assertThat(Durations.human(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(Durations.human(Duration.ofMinutes(192))).isEqualTo("3h12m");
    assertThat(Durations.human(Duration.ofHours(52))).isEqualTo("2d4h");
  }

}
