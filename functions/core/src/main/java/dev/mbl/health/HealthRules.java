package dev.mbl.health;

import dev.mbl.health.TableHealth.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The one health model (docs/operations.md): pure rules from a {@link TableSnapshot} to OK, WARN
 * or CRITICAL with a reason and the one thing to do. The CLI, the EMF metrics and the alarms all
 * read what this returns.
 *
 * <p>CRITICAL: a lock past its lease plus one reconcile period; a table held on a setup problem;
 * files that could load but no load starts for {@code 3 x} the reconcile period; quarantined files
 * not yet acknowledged; dead letters. WARN: files backing off after transient errors; no file
 * loaded within the config's {@code expect_new_data_within}.
 */
public final class HealthRules {
  private static final int MAX_TEXT = 200;
  private final Duration reconcilePeriod;

  /** @param reconcilePeriod how often the scheduled reconcile runs (the deployment's: one minute) */
  public HealthRules(Duration reconcilePeriod) {
    this.reconcilePeriod = Objects.requireNonNull(reconcilePeriod, "reconcilePeriod");
    if (reconcilePeriod.isNegative() || reconcilePeriod.isZero()) {
      throw new IllegalArgumentException("reconcile period is " + reconcilePeriod + ": use a positive duration");
    }
  }

  public static HealthRules standard() {
    return new HealthRules(Duration.ofMinutes(1));
  }

  public TableHealth evaluate(TableSnapshot s, Instant now) {
    String t = s.table().table().toString();
    List<Finding> findings = new ArrayList<>();
    if (s.lock() != null && now.isAfter(s.lock().leaseUntil().plus(reconcilePeriod))) {
      findings.add(new Finding(Health.CRITICAL, "lock of batch " + s.lock().batchId() + " (" + s.lock().phase()
          + ") is " + Durations.age(s.lock().leaseUntil(), now) + " past its lease: the reconcile did not repair it",
          "run `mbl reconcile`; if the lock stays, check NextLoader's reconcile schedule and its error lines"));
    }
    if (s.heldError() != null) {
      findings.add(new Finding(Health.CRITICAL, "held on a setup problem, " + s.pending() + " file(s) wait: "
          + firstLine(s.heldError()),
          "fix the cause (target table, permissions, role, bucket region); the files retry on their own"));
    }
    if (s.lock() == null && s.eligible() > 0 && s.oldestEligibleSince() != null
        && now.isAfter(s.oldestEligibleSince().plus(reconcilePeriod.multipliedBy(3)))) {
      findings.add(new Finding(Health.CRITICAL, s.eligible() + " file(s) could load for "
          + Durations.age(s.oldestEligibleSince(), now) + " but no load starts (every start is deferred)",
          "run `mbl validate` on the table's config and check NextLoader's 'deferred' lines, then `mbl reconcile`"));
    }
    if (s.quarantined() > 0) {
      findings.add(new Finding(Health.CRITICAL, s.quarantined() + " file(s) quarantined since the last "
          + "acknowledgement, latest " + s.latestQuarantinedUrl() + ": " + firstLine(s.latestQuarantineReason()),
          "see why with `mbl file " + s.latestQuarantinedUrl() + "`, fix the cause, then `mbl retry " + t
              + " --all-quarantined` (or `mbl ack " + t + "` to accept them as they are)"));
    }
    if (s.dlqDepth() != null && s.dlqDepth() > 0) {
      findings.add(new Finding(Health.CRITICAL, s.dlqDepth() + " message(s) in the table queue's dead-letter queue",
          "see them with `mbl dlq " + t + "`, fix the cause, then `mbl dlq " + t + " --redrive`"));
    }
    if (s.backingOff() > 0) {
      findings.add(new Finding(Health.WARN, s.backingOff() + " file(s) backing off after transient errors (attempt "
          + s.highestAttempt() + ")", "none: mbl retries on its own; `mbl files " + t + " --state PENDING` shows them"));
    }
    if (s.expectNewDataWithin() != null) {
      Instant reference = s.lastLoadedAt() != null ? s.lastLoadedAt() : s.oldestPendingArrival();
      if (reference != null && now.isAfter(reference.plus(s.expectNewDataWithin()))) {
        findings.add(new Finding(Health.WARN, (s.lastLoadedAt() != null ? "no file loaded for "
            + Durations.age(s.lastLoadedAt(), now) : "nothing loaded yet, the first file waits "
            + Durations.age(reference, now)) + ", expected within " + Durations.human(s.expectNewDataWithin()),
            "check that files still land under the table's prefix and reach its queue; `mbl status " + t + "`"));
      }
    }
    findings.sort(Comparator.comparing((Finding f) -> f.health().code()).reversed());
    if (findings.isEmpty()) {
      String reason = s.lock() != null ? "loading batch " + s.lock().batchId() + ", " + s.pending() + " pending"
          : s.pending() > 0 ? s.pending() + " pending" : "idle";
      reason += s.lastLoadedAt() == null ? ", no load on record" : ", last load " + Durations.age(s.lastLoadedAt(), now)
          + " ago";
      return new TableHealth(s, Health.OK, reason, "none", List.of());
    }
    Finding worst = findings.get(0);
    return new TableHealth(s, worst.health(), worst.reason(), worst.action(), findings);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "(no reason recorded)";
    }
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > MAX_TEXT ? line.substring(0, MAX_TEXT) + "..." : line;
  }
}
