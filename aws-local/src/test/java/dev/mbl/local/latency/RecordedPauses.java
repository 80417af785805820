package dev.mbl.local.latency;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pauses that record what was asked for and return at once (or run a test's hook, e.g. to hold a
 * pause while the test looks at the stand-in), so tests assert the requested pauses, not time.
 */
public final class RecordedPauses implements Pauses {
  private final List<Duration> requested = new CopyOnWriteArrayList<>();
  private volatile Pauses hook = duration -> { };

  @Override
  public void pause(Duration duration) {
    requested.add(duration);
    hook.pause(duration);
  }

  /** Every pause asked for so far, in the order asked. */
  public List<Duration> requested() {
    return List.copyOf(requested);
  }

  /** The pauses asked for so far other than {@code ignored} (e.g. each request's round trip). */
  public List<Duration> requestedExcept(Duration ignored) {
    return requested.stream().filter(d -> !d.equals(ignored)).toList();
  }

  public void clear() {
    requested.clear();
  }

  /** Runs {@code then} (on the pausing thread) after recording each pause; null for none. */
  public void hook(Pauses then) {
    this.hook = then == null ? duration -> { } : then;
  }
}
