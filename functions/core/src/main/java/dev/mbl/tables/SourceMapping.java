package dev.mbl.tables;

import java.time.Duration;
import java.util.Objects;

/**
 * How the SQS event source mapping feeds MicrobatchLoader: messages per invocation, how long to
 * gather them, and how many concurrent invocations one queue may use.
 */
public record SourceMapping(int batchSize, Duration maxBatchingWindow, int maxConcurrency) {
  public static final int DEFAULT_BATCH_SIZE = 100;
  /**
   * The least window Lambda allows with more than 10 messages per batch ("Lambda parameters for
   * Amazon SQS event source mappings"): a burst still fills batches of 100 at once, and a lone file
   * waits at most a second before it is ledgered (it was 5 s: most of a trickle's latency).
   */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_CONCURRENCY = 2;

  public SourceMapping {
    Objects.requireNonNull(maxBatchingWindow, "maxBatchingWindow");
  }

  public static SourceMapping defaults() {
    return new SourceMapping(DEFAULT_BATCH_SIZE, DEFAULT_WINDOW, DEFAULT_MAX_CONCURRENCY);
  }
}
