package dev.mbl.local.redshift;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Failures a test can ask the emulator for, as {@link DataApiEmulator} exposes them: throttle the
 * next requests, refuse the next submissions with ActiveStatementsExceededException, and hold
 * statements once they have STARTED so that a test can cancel one while it runs. Thread-safe.
 */
final class TestSwitches {
  /** How long a held statement waits at most, so a forgotten release cannot hang a build. */
  static final Duration MAX_HOLD = Duration.ofMinutes(2);

  private int throttled;
  private int refused;
  private boolean holding;

  synchronized void throttle(int requests) {
    throttled = requireCount(requests, "requests");
  }

  synchronized void refuse(int submissions) {
    refused = requireCount(submissions, "submissions");
  }

  synchronized void hold(boolean hold) {
    holding = hold;
    notifyAll();
  }

  /** Whether this request is throttled (counting it down). */
  synchronized boolean takeThrottle() {
    if (throttled > 0) {
      throttled--;
      return true;
    }
    return false;
  }

  /** Whether this submission is refused (counting it down). */
  synchronized boolean takeRefusal() {
    if (refused > 0) {
      refused--;
      return true;
    }
    return false;
  }

  /** Wakes held statements so they see a cancel. */
  synchronized void wake() {
    notifyAll();
  }

  /** Waits while statements are held, until released or {@code cancelled}, at most {@link #MAX_HOLD}. */
  synchronized void awaitRelease(BooleanSupplier cancelled) {
    long deadline = System.nanoTime() + MAX_HOLD.toNanos();
    while (holding && !cancelled.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        wait(Math.max(1, Math.min(left / 1_000_000, 100)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static int requireCount(int count, String what) {
    if (count < 0) {
      throw new IllegalArgumentException(what + " must be 0 or more, not " + count);
    }
    return count;
  }
}
