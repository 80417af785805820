package dev.mbl.local.latency;

import java.time.Duration;

/**
 * Where every pause of the latency profiles goes: {@link #SLEEP} in a running stack, a recorder in
 * tests (which then assert what was asked for, never how long anything took). Implementations
 * must be thread-safe: the stand-ins call them from many threads at once.
 */
@FunctionalInterface
public interface Pauses {
  /** Sleeps the calling thread; an interrupt ends the pause early and stays set on the thread. */
  Pauses SLEEP = duration -> {
    try {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  /** Pauses the calling thread for {@code duration} (always positive: zero figures are never asked for). */
  void pause(Duration duration);
}
