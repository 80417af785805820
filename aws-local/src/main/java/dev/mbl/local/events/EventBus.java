package dev.mbl.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.local.latency.DelayedInOrder;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.logging.StandInLog;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A local EventBridge bus: each published event goes, asynchronously and on one delivery thread,
 * to the target of every rule whose pattern it matches. Matching events can be dropped on
 * purpose ({@link #dropMatching(boolean)}, {@link #dropNext(int)}) to rehearse a lost event.
 * With a latency profile's {@code eventDelivery}, each event reaches the rules that much later,
 * still in publication order. Thread-safe.
 */
public final class EventBus implements AutoCloseable {
  private static final String FUNCTION = "EventBus";
  private final ObjectMapper json = new ObjectMapper();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final ExecutorService delivery;
  /** Null unless the latency profile delays delivery. */
  private final DelayedInOrder delayed;
  private final StandInLog log;
  private final Clock clock;
  private final AtomicBoolean dropping = new AtomicBoolean();
  private final AtomicInteger dropNext = new AtomicInteger();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  private record Rule(String name, EventPattern pattern, Consumer<String> target) {}

  public EventBus(StandInLog log, Clock clock) {
    this(log, clock, Latency.NONE);
  }

  /** A bus whose events reach their targets {@code latency}'s eventDelivery after they are published. */
  public EventBus(StandInLog log, Clock clock, Latency latency) {
    Objects.requireNonNull(latency, "latency");
    this.delayed = latency.profile().eventDelivery().isZero() ? null
        : new DelayedInOrder(latency::eventDelivery, "mbl-local-event-delay");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.delivery = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "mbl-local-event-bus");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Sends events matching {@code pattern} to {@code target} (called with the event's JSON). */
  public void addRule(String name, EventPattern pattern, Consumer<String> target) {
    Objects.requireNonNull(name, "name");
    if (rules.stream().anyMatch(r -> r.name().equals(name))) {
      throw new IllegalArgumentException("event rule " + name + " exists already: choose another name");
    }
    rules.add(new Rule(name, Objects.requireNonNull(pattern, "pattern"), Objects.requireNonNull(target, "target")));
  }

  public void removeRule(String name) {
    rules.removeIf(r -> r.name().equals(name));
  }

  /** Where producers (the Data API emulator) put each event's JSON: same as {@link #publish}. */
  public Consumer<String> statusEvents() {
    return this::publish;
  }

  /** Accepts one event and returns at once; matching and delivery happen on the bus's thread. */
  public void publish(String eventJson) {
    Objects.requireNonNull(eventJson, "eventJson");
    published.incrementAndGet();
    if (delayed == null) {
      enqueue(eventJson);
      return;
    }
    try {
      delayed.submit(() -> enqueue(eventJson));
    } catch (RejectedExecutionException closed) {
      dropped.incrementAndGet();
    }
  }

  private void enqueue(String eventJson) {
    try {
      delivery.execute(() -> route(eventJson));
    } catch (RejectedExecutionException closed) {
      // Published while the stack shuts down: lost, as nothing would be left to deliver it to.
      dropped.incrementAndGet();
    }
  }

  /** While on, every event that matches a rule is dropped instead of delivered. */
  public void dropMatching(boolean drop) {
    dropping.set(drop);
  }

  /** Drops the next {@code count} events that match a rule, then delivers again. */
  public void dropNext(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("cannot drop " + count + " events: give 0 or more");
    }
    dropNext.set(count);
  }

  public long published() {
    return published.get();
  }

  /** Deliveries made (an event matching two rules counts twice). */
  public long delivered() {
    return delivered.get();
  }

  /** Matching events dropped on purpose, and events published after {@link #close()}. */
  public long dropped() {
    return dropped.get();
  }

  private void route(String eventJson) {
    JsonNode event;
    try {
      event = json.readTree(eventJson);
    } catch (Exception e) {
      log.message(FUNCTION, "ERROR", "event-rejected", null, null, "an event is not JSON: " + e.getMessage(),
          clock.instant());
      return;
    }
    List<Rule> matching = rules.stream().filter(r -> r.pattern().matches(event)).toList();
    if (matching.isEmpty()) {
      return;
    }
    if (dropping.get() || dropNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      dropped.incrementAndGet();
      log.message(FUNCTION, "WARN", "event-dropped", null, event.path("id").asText(null),
          "dropped on purpose; it matched " + matching.stream().map(Rule::name).toList(), clock.instant());
      return;
    }
    for (Rule rule : matching) {
      try {
        rule.target().accept(eventJson);
        delivered.incrementAndGet();
      } catch (RuntimeException e) {
        log.message(FUNCTION, "ERROR", "delivery-failed", null, event.path("id").asText(null),
            "rule " + rule.name() + " could not deliver: " + e, clock.instant());
      }
    }
  }

  /** Delivers what was published before the call, then stops (waits up to 10 s). */
  @Override
  public void close() {
    if (delayed != null) {
      delayed.close(); // the delayed events are handed to the delivery thread first
    }
    delivery.shutdown();
    try {
      if (!delivery.awaitTermination(10, TimeUnit.SECONDS)) {
        delivery.shutdownNow();
      }
    } catch (InterruptedException e) {
      delivery.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
