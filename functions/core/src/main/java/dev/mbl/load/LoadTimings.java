package dev.mbl.load;

import java.time.Duration;
import java.util.Objects;

/**
 * The protocol's clocks.
 *
 * @param runningLease how long a submitted batch holds its lock before anyone may check on it (default 15 min)
 * @param startLease how long a loader may take from acquiring the lock to submitting (default 2 min)
 * @param checkRunningAfter how often the reconciler asks the Data API about a running batch (default 2 min)
 * @param retryBase first back-off after a transient failure, doubled each attempt (default 30 s)
 * @param retryMax the longest back-off (default 15 min)
 * @param setupPause how long files wait after a setup error (missing table, permissions) (default 5 min)
 */
public record LoadTimings(
    Duration runningLease, Duration startLease, Duration checkRunningAfter, Duration retryBase, Duration retryMax,
    Duration setupPause) {
  public static final LoadTimings DEFAULT = new LoadTimings(Duration.ofMinutes(15), Duration.ofMinutes(2),
      Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofMinutes(5));

  public LoadTimings {
    Objects.requireNonNull(runningLease, "runningLease");
    Objects.requireNonNull(startLease, "startLease");
    Objects.requireNonNull(checkRunningAfter, "checkRunningAfter");
    Objects.requireNonNull(retryBase, "retryBase");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(setupPause, "setupPause");
  }

  /** Back-off before attempt {@code attempt} (1-based) after transient failures. */
  public Duration retryDelay(int attempt) {
    Duration delay = retryBase.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
    return delay.compareTo(retryMax) > 0 ? retryMax : delay;
  }
}
