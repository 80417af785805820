package dev.mbl.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.logging.StandInLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An SQS event source mapping, as Lambda runs one: pollers long-poll the queue, gather a batch
 * (batch size, batching window), invoke the function synchronously and delete what it processed.
 * With {@code reportBatchItemFailures}, only records not named in {@code batchItemFailures} are
 * deleted, and an invalid failure list (null, blank or unknown id) fails the whole batch; when
 * the handler throws, nothing is deleted. Records left behind come back after the queue's
 * visibility timeout; SQS's redrive policy moves them to the dead-letter queue. A latency
 * profile's {@code sqsReceive} is added to each receive that returns messages: the mapping's
 * delivery latency.
 */
public final class SqsPoller implements AutoCloseable {
  private static final int MAX_RECEIVE = 10;
  private static final long RECEIVE_ERROR_PAUSE_MS = 1_000;
  private final SqsClient sqs;
  private final LocalFunction<SQSEvent, SQSBatchResponse> function;
  private final SqsEventSourceConfig config;
  private final StandInLog log;
  private final Clock clock;
  private final Latency latency;
  private final String queueName;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();

  SqsPoller(SqsClient sqs, LocalFunction<SQSEvent, SQSBatchResponse> function, SqsEventSourceConfig config,
      StandInLog log, Clock clock, Latency latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.function = Objects.requireNonNull(function, "function");
    this.config = Objects.requireNonNull(config, "config");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.queueName = config.queueArn().substring(config.queueArn().lastIndexOf(':') + 1);
  }

  synchronized void start() {
    if (running || !threads.isEmpty()) {
      throw new IllegalStateException("the poller of " + queueName + " was started already");
    }
    running = true;
    for (int i = 1; i <= config.maximumConcurrency(); i++) {
      Thread thread = new Thread(this::pollUntilStopped, "mbl-local-poller-" + queueName + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  public SqsEventSourceConfig config() {
    return config;
  }

  /** Invocations made. */
  public long batches() {
    return batches.get();
  }

  /** Messages received (a message received twice counts twice). */
  public long received() {
    return received.get();
  }

  /** Messages deleted after the function processed them. */
  public long deleted() {
    return deleted.get();
  }

  /** Invocations that left their whole batch on the queue (handler error or invalid failure list). */
  public long failedBatches() {
    return failedBatches.get();
  }

  /** Asks the pollers to stop after their current receive or invocation; returns at once. */
  public void stop() {
    // No interrupt: it would reach the handler mid-invocation; receives end within pollWait.
    running = false;
  }

  /** Stops and waits for the pollers (at most a poll wait plus 30 s for a running invocation). */
  @Override
  public void close() {
    stop();
    long deadline = System.nanoTime() + config.pollWait().toNanos() + 30_000_000_000L;
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void pollUntilStopped() {
    while (running) {
      List<Message> batch;
      try {
        batch = gather();
      } catch (RuntimeException e) {
        // SdkException mostly; after close, the client's own IllegalStateException.
        if (running) {
          log.message(function.name(), "WARN", "receive-failed", queueName, null, e.getMessage(), clock.instant());
          pause(RECEIVE_ERROR_PAUSE_MS);
        }
        continue;
      }
      if (batch.isEmpty()) {
        continue;
      }
      if (!running) {
        release(batch);
        return;
      }
      invokeAndSettle(batch);
    }
  }

  /** One batch: the first receive long-polls; then receives continue until full or the window ends. */
  private List<Message> gather() {
    List<Message> batch = new ArrayList<>();
    long windowEnd = 0;
    while (running && batch.size() < config.batchSize()) {
      int waitSeconds;
      if (batch.isEmpty()) {
        waitSeconds = (int) config.pollWait().toSeconds();
      } else {
        long remainingMs = (windowEnd - System.nanoTime()) / 1_000_000L;
        if (remainingMs <= 0) {
          break;
        }
        waitSeconds = (int) Math.min(20, remainingMs / 1000);
      }
      List<Message> got = receive(Math.min(MAX_RECEIVE, config.batchSize() - batch.size()), waitSeconds);
      if (batch.isEmpty() && !got.isEmpty()) {
        windowEnd = System.nanoTime() + config.maximumBatchingWindow().toNanos();
      }
      batch.addAll(got);
      if (batch.isEmpty() && waitSeconds == 0) {
        pause(100);
      } else if (!batch.isEmpty() && got.isEmpty() && waitSeconds == 0) {
        pause(Math.min(100, Math.max(1, (windowEnd - System.nanoTime()) / 1_000_000L)));
      }
    }
    received.addAndGet(batch.size());
    return batch;
  }

  private List<Message> receive(int max, int waitSeconds) {
    List<Message> got = sqs.receiveMessage(r -> r.queueUrl(config.queueUrl()).maxNumberOfMessages(max)
        .waitTimeSeconds(waitSeconds).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
        .messageAttributeNames("All")).messages();
    if (!got.isEmpty()) {
      latency.sqsReceive();
    }
    return got;
  }

  private void invokeAndSettle(List<Message> batch) {
    batches.incrementAndGet();
    SQSBatchResponse response;
    try {
      response = function.invoke(SqsRecords.event(batch, config.queueArn(), config.region()));
    } catch (FunctionErrorException e) {
      failedBatches.incrementAndGet();
      log.message(function.name(), "ERROR", "batch-failed", queueName, null, batch.size()
          + " message(s) stay on the queue: " + (e.getCause() == null ? e : e.getCause()), clock.instant());
      return;
    }
    Set<String> ids = new HashSet<>();
    batch.forEach(m -> ids.add(m.messageId()));
    Set<String> failed = new HashSet<>();
    if (config.reportBatchItemFailures() && response != null && response.getBatchItemFailures() != null) {
      for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
        String id = failure == null ? null : failure.getItemIdentifier();
        if (id == null || id.isBlank() || !ids.contains(id)) {
          failedBatches.incrementAndGet();
          log.message(function.name(), "ERROR", "batch-failed", queueName, id, "batchItemFailures names "
              + (id == null || id.isBlank() ? "a null or blank id" : "a message not in the batch")
              + ": Lambda fails the whole batch of " + batch.size(), clock.instant());
          return;
        }
        failed.add(id);
      }
    }
    delete(batch.stream().filter(m -> !failed.contains(m.messageId())).toList());
  }

  private void delete(List<Message> done) {
    for (int from = 0; from < done.size(); from += MAX_RECEIVE) {
      List<Message> chunk = done.subList(from, Math.min(done.size(), from + MAX_RECEIVE));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(chunk.get(i).receiptHandle()).build());
      }
      try {
        var result = sqs.deleteMessageBatch(d -> d.queueUrl(config.queueUrl()).entries(entries));
        deleted.addAndGet(result.successful().size());
        result.failed().forEach(f -> log.message(function.name(), "WARN", "delete-failed", queueName,
            chunk.get(Integer.parseInt(f.id())).messageId(), f.code() + ": " + f.message(), clock.instant()));
      } catch (RuntimeException e) {
        log.message(function.name(), "WARN", "delete-failed", queueName, null, chunk.size()
            + " processed message(s) will be received again: " + e.getMessage(), clock.instant());
      }
    }
  }

  /** Hands back a batch gathered during shutdown, so a restarted stack receives it at once. */
  private void release(List<Message> batch) {
    for (int from = 0; from < batch.size(); from += MAX_RECEIVE) {
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (int i = from; i < Math.min(batch.size(), from + MAX_RECEIVE); i++) {
        entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(batch.get(i).receiptHandle()).visibilityTimeout(0).build());
      }
      try {
        sqs.changeMessageVisibilityBatch(c -> c.queueUrl(config.queueUrl()).entries(entries));
      } catch (RuntimeException ignored) {
        // The queue is going away too; the messages reappear after their visibility timeout anyway.
      }
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
