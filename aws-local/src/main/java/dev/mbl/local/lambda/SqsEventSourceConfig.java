package dev.mbl.local.lambda;

import java.time.Duration;
import java.util.Objects;

/**
 * An SQS event source mapping, with Lambda's meaning for each setting.
 *
 * @param queueUrl the queue polled
 * @param queueArn its ARN: each record's {@code eventSourceARN}; its region is {@code awsRegion}
 * @param batchSize most records per invocation (1 to 10,000; above 10 needs a batching window)
 * @param maximumBatchingWindow how long to keep gathering records after the first arrives
 * @param reportBatchItemFailures whether the handler's {@code batchItemFailures} are honoured;
 *     when false, a handler that returns normally has processed the whole batch
 * @param maximumConcurrency pollers (hence concurrent invocations) for this mapping, at least 1;
 *     the function's own concurrency limit still applies
 * @param pollWait ReceiveMessage's WaitTimeSeconds when nothing is gathered yet (Lambda: 20 s)
 */
public record SqsEventSourceConfig(String queueUrl, String queueArn, int batchSize, Duration maximumBatchingWindow,
    boolean reportBatchItemFailures, int maximumConcurrency, Duration pollWait) {
  public SqsEventSourceConfig {
    Objects.requireNonNull(queueUrl, "queueUrl");
    Objects.requireNonNull(queueArn, "queueArn");
    Objects.requireNonNull(maximumBatchingWindow, "maximumBatchingWindow");
    Objects.requireNonNull(pollWait, "pollWait");
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batchSize " + batchSize + " for " + queueArn + " is outside 1..10000");
    }
    if (batchSize > 10 && maximumBatchingWindow.isZero()) {
      throw new IllegalArgumentException("batchSize " + batchSize + " for " + queueArn
          + " needs a maximumBatchingWindow of at least 1 s, as in Lambda");
    }
    if (maximumBatchingWindow.isNegative() || maximumBatchingWindow.toSeconds() > 300) {
      throw new IllegalArgumentException("maximumBatchingWindow " + maximumBatchingWindow + " for " + queueArn
          + " is outside 0..300 s");
    }
    if (maximumConcurrency < 1) {
      throw new IllegalArgumentException("maximumConcurrency " + maximumConcurrency + " for " + queueArn
          + ": give 1 or more");
    }
    if (pollWait.isNegative() || pollWait.toSeconds() > 20) {
      throw new IllegalArgumentException("pollWait " + pollWait + " for " + queueArn + " is outside 0..20 s");
    }
    if (queueArn.split(":", -1).length != 6) {
      throw new IllegalArgumentException("queue ARN '" + queueArn + "' is not arn:aws:sqs:<region>:<account>:<name>");
    }
  }

  /** Lambda's defaults: 10 records, no window, batch item failures reported, 2 pollers, 20 s polls. */
  public static SqsEventSourceConfig of(String queueUrl, String queueArn) {
    return new SqsEventSourceConfig(queueUrl, queueArn, 10, Duration.ZERO, true, 2, Duration.ofSeconds(20));
  }

  public SqsEventSourceConfig withBatch(int size, Duration window) {
    return new SqsEventSourceConfig(queueUrl, queueArn, size, window, reportBatchItemFailures, maximumConcurrency,
        pollWait);
  }

  public SqsEventSourceConfig withMaximumConcurrency(int pollers) {
    return new SqsEventSourceConfig(queueUrl, queueArn, batchSize, maximumBatchingWindow, reportBatchItemFailures,
        pollers, pollWait);
  }

  public SqsEventSourceConfig withReportBatchItemFailures(boolean report) {
    return new SqsEventSourceConfig(queueUrl, queueArn, batchSize, maximumBatchingWindow, report, maximumConcurrency,
        pollWait);
  }

  public SqsEventSourceConfig withPollWait(Duration wait) {
    return new SqsEventSourceConfig(queueUrl, queueArn, batchSize, maximumBatchingWindow, reportBatchItemFailures,
        maximumConcurrency, wait);
  }

  /** The queue's region, from its ARN. */
  public String region() {
    return queueArn.split(":", -1)[3];
  }
}
