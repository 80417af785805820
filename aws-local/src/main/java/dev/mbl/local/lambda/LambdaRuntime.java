package dev.mbl.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.logging.StandInLog;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs Lambda functions in this JVM and wires their triggers as Lambda does: SQS event source
 * mappings ({@link SqsPoller}), schedule rules (a "Scheduled Event" or a constant input every
 * period, invoked asynchronously) and event-bus targets (the event's JSON, invoked
 * asynchronously). Closing stops every trigger, then every function.
 */
public final class LambdaRuntime implements AutoCloseable {
  private final SqsClient sqs;
  private final String region;
  private final String account;
  private final StandInLog log;
  private final Clock clock;
  private final PrintStream out;
  private final Latency latency;
  private final List<LocalFunction<?, ?>> functions = new CopyOnWriteArrayList<>();
  private final List<SqsPoller> pollers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;

  /**
   * @param sqs polls the event sources
   * @param region the functions' region (ARNs, scheduled events)
   * @param account the functions' account
   * @param log where the runtime reports failed invocations and batches
   * @param clock stamps scheduled events and log lines
   * @param out what {@code context.getLogger()} writes to
   */
  public LambdaRuntime(SqsClient sqs, String region, String account, StandInLog log, Clock clock, PrintStream out) {
    this(sqs, region, account, log, clock, out, Latency.NONE);
  }

  /**
   * As {@link #LambdaRuntime(SqsClient, String, String, StandInLog, Clock, PrintStream)}, with
   * {@code latency}'s sqsReceive added to each poller receive that returns messages.
   */
  public LambdaRuntime(SqsClient sqs, String region, String account, StandInLog log, Clock clock, PrintStream out,
      Latency latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.region = Objects.requireNonNull(region, "region");
    this.account = Objects.requireNonNull(account, "account");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.out = Objects.requireNonNull(out, "out");
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "mbl-local-scheduler");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** A function running a stream handler (EventBridge and scheduled targets, manual invocations). */
  public LocalFunction<byte[], byte[]> streamFunction(String name, RequestStreamHandler handler, FunctionConfig config) {
    return register(new LocalFunction<>(name, arnOf(name), LocalFunction.streaming(handler), config, log, clock, out));
  }

  /** A function running a typed handler, such as an SQS-triggered one. */
  public <I, O> LocalFunction<I, O> function(String name, RequestHandler<I, O> handler, FunctionConfig config) {
    return register(new LocalFunction<>(name, arnOf(name), LocalFunction.typed(handler), config, log, clock, out));
  }

  /** Starts polling {@code config}'s queue for {@code function}. */
  public SqsPoller addSqsEventSource(LocalFunction<SQSEvent, SQSBatchResponse> function, SqsEventSourceConfig config) {
    SqsPoller poller = new SqsPoller(sqs, function, config, log, clock, latency);
    pollers.add(poller);
    poller.start();
    return poller;
  }

  /** An event-bus target: each event's JSON becomes an asynchronous invocation. */
  public Consumer<String> eventTarget(LocalFunction<byte[], byte[]> function) {
    return json -> function.invokeAsync(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Invokes {@code function} asynchronously every {@code period} (first after one period) with
   * EventBridge's "Scheduled Event" of rule {@code ruleName}. Cancel with the returned future.
   */
  public ScheduledFuture<?> schedule(String ruleName, Duration period, LocalFunction<byte[], byte[]> function) {
    return every(period, () -> function.invokeAsync(
        ScheduledEvents.json(ruleName, clock.instant(), region, account).getBytes(StandardCharsets.UTF_8)));
  }

  /** Invokes {@code function} asynchronously every {@code period} with a constant input (a rule's "Input"). */
  public ScheduledFuture<?> schedule(Duration period, LocalFunction<byte[], byte[]> function, byte[] input) {
    byte[] copy = input.clone();
    return every(period, () -> function.invokeAsync(copy.clone()));
  }

  public List<SqsPoller> pollers() {
    return List.copyOf(pollers);
  }

  public String arnOf(String functionName) {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName;
  }

  /** Stops the schedules and asks every poller to stop, without waiting. */
  public void stopTriggers() {
    scheduler.shutdownNow();
    pollers.forEach(SqsPoller::stop);
  }

  /** Stops every trigger, waits for the pollers, then lets queued asynchronous invocations finish. */
  @Override
  public void close() {
    stopTriggers();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pollers.forEach(SqsPoller::close);
    functions.forEach(LocalFunction::close);
  }

  private ScheduledFuture<?> every(Duration period, Runnable tick) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("schedule period " + period + " is not positive");
    }
    long millis = period.toMillis();
    return scheduler.scheduleAtFixedRate(() -> {
      try {
        tick.run();
      } catch (RuntimeException e) {
        // A failed tick must not cancel the schedule (scheduleAtFixedRate would).
        log.message("Scheduler", "ERROR", "schedule-failed", null, null, e.toString(), clock.instant());
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  private <F extends LocalFunction<?, ?>> F register(F function) {
    if (functions.stream().anyMatch(f -> f.name().equals(function.name()))) {
      function.close();
      throw new IllegalArgumentException("function " + function.name() + " exists already: choose another name");
    }
    functions.add(function);
    return function;
  }
}
