package dev.mbl.cli;

import java.time.Duration;

/** Pauses of the command's own pacing (progress display, bursts). */
final class Waits {
  private Waits() {}

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
