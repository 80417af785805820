package dev.mbl.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.mbl.local.logging.StandInLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Lambda function run in this JVM: a handler behind a concurrency limit (Lambda's reserved
 * concurrency, shared by every trigger of the function), invoked synchronously (RequestResponse)
 * or asynchronously (Event: queued, retried on error like Lambda, then logged).
 *
 * @param <I> the handler's input ({@code byte[]} for a stream handler)
 * @param <O> its output ({@code byte[]} for a stream handler)
 */
public final class LocalFunction<I, O> implements AutoCloseable {
  /** What the function runs with one input and a context. */
  @FunctionalInterface
  public interface Handler<I, O> {
    O handle(I input, Context context) throws Exception;
  }

  private final String name;
  private final String arn;
  private final Handler<I, O> handler;
  private final FunctionConfig config;
  private final StandInLog log;
  private final Clock clock;
  private final PrintStream out;
  private final Semaphore permits;
  private final ScheduledThreadPoolExecutor async;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  LocalFunction(String name, String arn, Handler<I, O> handler, FunctionConfig config, StandInLog log, Clock clock,
      PrintStream out) {
    this.name = Objects.requireNonNull(name, "name");
    this.arn = Objects.requireNonNull(arn, "arn");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.config = Objects.requireNonNull(config, "config");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.out = Objects.requireNonNull(out, "out");
    this.permits = new Semaphore(config.concurrency(), true);
    AtomicInteger threads = new AtomicInteger();
    this.async = new ScheduledThreadPoolExecutor(config.concurrency(), r -> {
      Thread thread = new Thread(r, "mbl-local-" + name + "-async-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    async.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Adapts a stream handler (NextLoader, BulkLoader) to bytes in, bytes out. */
  static Handler<byte[], byte[]> streaming(RequestStreamHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return (input, context) -> {
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(input), output, context);
      return output.toByteArray();
    };
  }

  /** Adapts a typed handler (MicrobatchLoader) without serialising its input. */
  static <I, O> Handler<I, O> typed(RequestHandler<I, O> handler) {
    Objects.requireNonNull(handler, "handler");
    return handler::handleRequest;
  }

  public String name() {
    return name;
  }

  public String arn() {
    return arn;
  }

  public FunctionConfig config() {
    return config;
  }

  /**
   * Invokes and waits (RequestResponse), queueing for a free slot when the function is at its
   * concurrency limit.
   *
   * @throws FunctionErrorException when the handler throws
   */
  public O invoke(I input) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to invoke " + name, e);
    }
    int now = running.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    invocations.incrementAndGet();
    try {
      return handler.handle(input, new LocalContext(name, arn, config, out));
    } catch (Exception | Error e) {
      errors.incrementAndGet();
      throw new FunctionErrorException("function " + name + " failed: " + e, e);
    } finally {
      running.decrementAndGet();
      permits.release();
    }
  }

  /**
   * Invokes without waiting (Event): queued, retried {@code asyncRetries} times after
   * {@code asyncRetryDelay} on error, then logged as failed. The future completes with the last
   * outcome.
   */
  public CompletableFuture<O> invokeAsync(I input) {
    CompletableFuture<O> result = new CompletableFuture<>();
    async.execute(() -> attempt(input, 0, result));
    return result;
  }

  private void attempt(I input, int retry, CompletableFuture<O> result) {
    try {
      result.complete(invoke(input));
    } catch (RuntimeException e) {
      if (retry < config.asyncRetries() && retryLater(input, retry + 1, result)) {
        return;
      }
      log.message(name, "ERROR", "invocation-failed", null, null, "asynchronous invocation failed after "
          + (retry + 1) + " attempt(s): " + (e.getCause() == null ? e : e.getCause()), clock.instant());
      result.completeExceptionally(e);
    }
  }

  private boolean retryLater(I input, int retry, CompletableFuture<O> result) {
    try {
      async.schedule(() -> attempt(input, retry, result), config.asyncRetryDelay().toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException closing) {
      return false;
    }
  }

  /** Invocations started so far (sync, async and retries). */
  public long invocations() {
    return invocations.get();
  }

  /** Invocations whose handler threw. */
  public long errors() {
    return errors.get();
  }

  /** Most invocations seen running at once. */
  public int peakConcurrency() {
    return peak.get();
  }

  /** Lets running and queued asynchronous invocations finish (up to 30 s); drops pending retries. */
  @Override
  public void close() {
    async.shutdown();
    try {
      if (!async.awaitTermination(30, TimeUnit.SECONDS)) {
        async.shutdownNow();
      }
    } catch (InterruptedException e) {
      async.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
