package dev.mbl.local.lambda;

import java.time.Duration;
import java.util.Objects;

/**
 * How a local function runs.
 *
 * @param concurrency invocations that may run at once (Lambda's reserved concurrency); at least 1
 * @param timeout what {@code Context.getRemainingTimeInMillis()} counts down from; not enforced
 * @param memoryMb what {@code Context.getMemoryLimitInMB()} reports
 * @param asyncRetries retries of a failed asynchronous invocation (Lambda: 0 to 2, default 2)
 * @param asyncRetryDelay wait before each such retry (Lambda waits about 1, then 2 minutes)
 */
public record FunctionConfig(int concurrency, Duration timeout, int memoryMb, int asyncRetries,
    Duration asyncRetryDelay) {
  public FunctionConfig {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(asyncRetryDelay, "asyncRetryDelay");
    if (concurrency < 1) {
      throw new IllegalArgumentException("function concurrency is " + concurrency + ": give 1 or more");
    }
    if (asyncRetries < 0 || asyncRetries > 2) {
      throw new IllegalArgumentException("asyncRetries is " + asyncRetries + ": Lambda allows 0 to 2");
    }
    if (memoryMb < 128 || memoryMb > 10_240) {
      throw new IllegalArgumentException("function memory is " + memoryMb + " MB: Lambda allows 128 to 10240");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("function timeout is " + timeout + ": give a positive duration");
    }
  }

  /** Two at a time, 5-minute timeout, 512 MB, two async retries one second apart. */
  public static FunctionConfig defaults() {
    return new FunctionConfig(2, Duration.ofMinutes(5), 512, 2, Duration.ofSeconds(1));
  }

  public FunctionConfig withConcurrency(int value) {
    return new FunctionConfig(value, timeout, memoryMb, asyncRetries, asyncRetryDelay);
  }

  public FunctionConfig withAsyncRetries(int retries, Duration delay) {
    return new FunctionConfig(concurrency, timeout, memoryMb, retries, delay);
  }
}
