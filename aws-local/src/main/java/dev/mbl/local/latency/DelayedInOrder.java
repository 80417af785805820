package dev.mbl.local.latency;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each submitted action after a pause of its own, the pauses overlapping (a burst of events
 * is delayed once, not once per event before it), and the actions in submission order: an action
 * whose pause ended early waits for the ones submitted before it. Actions run under a lock and
 * must be quick (hand the work to another executor). Thread-safe.
 */
public final class DelayedInOrder implements AutoCloseable {
  private final Runnable pause;
  private final ExecutorService waiters;
  private final Map<Long, Runnable> ready = new HashMap<>();
  private long nextTicket;
  private long nextToRun;

  /**
   * @param pause the pause before each action, e.g. {@code latency::eventDelivery}
   * @param threadName names the pausing threads
   */
  public DelayedInOrder(Runnable pause, String threadName) {
    this.pause = Objects.requireNonNull(pause, "pause");
    Objects.requireNonNull(threadName, "threadName");
    AtomicInteger count = new AtomicInteger();
    this.waiters = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, threadName + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Runs {@code action} after the pause and after every action submitted before it.
   *
   * @throws RejectedExecutionException after {@link #close()}
   */
  public void submit(Runnable action) {
    Objects.requireNonNull(action, "action");
    long ticket;
    synchronized (this) {
      ticket = nextTicket++;
    }
    try {
      waiters.execute(() -> {
        try {
          pause.run();
        } finally {
          release(ticket, action);
        }
      });
    } catch (RejectedExecutionException closed) {
      release(ticket, () -> { }); // so the actions after it are not held forever
      throw closed;
    }
  }

  private synchronized void release(long ticket, Runnable action) {
    ready.put(ticket, action);
    while (ready.containsKey(nextToRun)) {
      Runnable next = ready.remove(nextToRun++);
      try {
        next.run();
      } catch (RuntimeException e) {
        // one failed action must not hold back the ones after it; the action reports its own failures
      }
    }
  }

  /** Takes no more actions and waits (up to 10 s) for the pending ones to run. */
  @Override
  public void close() {
    waiters.shutdown();
    try {
      if (!waiters.awaitTermination(10, TimeUnit.SECONDS)) {
        waiters.shutdownNow();
      }
    } catch (InterruptedException e) {
      waiters.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
