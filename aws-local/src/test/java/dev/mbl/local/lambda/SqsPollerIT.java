package dev.mbl.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.mbl.local.Eventually.await;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mbl.local.sqs.SqsQueue;
import dev.mbl.local.sqs.SqsServer;
import dev.mbl.local.RecordingLog;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.latency.LatencyProfile;
import dev.mbl.local.latency.RecordedPauses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class SqsPollerIT {
  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final Duration POLL_WAIT = Duration.ofSeconds(1);
  private static SqsServer sqs;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final RecordingLog lines = new RecordingLog();
  private LambdaRuntime runtime;

  @BeforeAll
  static void startSqs() {
    sqs = SqsServer.start(REGION, ACCOUNT, StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")));
  }

  @AfterAll
  static void stopSqs() {
    sqs.close();
  }

  @BeforeEach
  void startRuntime() {
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    runtime = new LambdaRuntime(sqs.client(), REGION, ACCOUNT, lines, Clock.systemUTC(), out);
  }

  @AfterEach
  void stopRuntime() {
    runtime.close();
  }

  @Test
  void poll_messagesWaiting_recordsShapedLikeLambdasSqsEvent() {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("shape", Duration.ofSeconds(30), 5);
    sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody("{\"n\":1}").messageAttributes(
        java.util.Map.of("origin", MessageAttributeValue.builder().dataType("String").stringValue("test").build())));
    Recording handler = new Recording(m -> false);

    mapping(handler, queue, 1, SqsEventSourceConfig.of(queue.url(), queue.arn()).withPollWait(POLL_WAIT));

    await(Duration.ofSeconds(10), () -> sqs.depth(queue.url()).total() == 0);
    SQSEvent.SQSMessage record = handler.records.get(0);
    assertThat(record.getBody()).isEqualTo("{\"n\":1}");
    assertThat(record.getMessageId()).isNotBlank();
    assertThat(record.getReceiptHandle()).isNotBlank();
    assertThat(record.getEventSource()).isEqualTo("aws:sqs");
    assertThat(record.getEventSourceArn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:shape");
    assertThat(record.getAwsRegion()).isEqualTo(REGION);
    assertThat(record.getMd5OfBody()).matches("[0-9a-f]{32}");
    assertThat(record.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
        .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp");
    assertThat(record.getMessageAttributes().get("origin").getStringValue()).isEqualTo("test");
    assertThat(record.getMessageAttributes().get("origin").getDataType()).isEqualTo("String");
  }

  @Test
  void batchItemFailures_oneMessageFails_othersDeletedItReturnsThenMovesToDeadLetterQueue() {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("partial", Duration.ofSeconds(1), 3);
    for (String body : List.of("good-1", "bad", "good-2")) {
      sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody(body));
    }
    Recording handler = new Recording(m -> m.getBody().equals("bad"));

    SqsPoller poller = mapping(handler, queue, 2, SqsEventSourceConfig.of(queue.url(), queue.arn())
        .withPollWait(POLL_WAIT));

    await(Duration.ofSeconds(20), () -> sqs.depth(queue.deadLetterQueue().url()).total() == 1);
    assertThat(handler.bodies()).filteredOn("good-1"::equals).hasSize(1);
    assertThat(handler.bodies()).filteredOn("good-2"::equals).hasSize(1);
    assertThat(handler.records).filteredOn(r -> r.getBody().equals("bad"))
        .extracting(r -> r.getAttributes().get("ApproximateReceiveCount")).containsExactly("1", "2", "3");
    Message dead = sqs.client().receiveMessage(r -> r.queueUrl(queue.deadLetterQueue().url())).messages().get(0);
    assertThat(dead.body()).isEqualTo("bad");
    assertThat(sqs.depth(queue.url()).total()).isZero();
    assertThat(poller.deleted()).isEqualTo(2);
  }

  @Test
  void handlerThrows_wholeBatchStaysAndIsRedelivered() {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("throws", Duration.ofSeconds(1), 2);
    sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody("a"));
    AtomicInteger calls = new AtomicInteger();
    RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
      calls.incrementAndGet();
      throw new IllegalStateException("boom");
    };

    SqsPoller poller = mapping(handler, queue, 1, SqsEventSourceConfig.of(queue.url(), queue.arn())
        .withPollWait(POLL_WAIT));

    await(Duration.ofSeconds(20), () -> sqs.depth(queue.deadLetterQueue().url()).total() == 1);
    assertThat(calls).hasValue(2);
    assertThat(poller.failedBatches()).isEqualTo(2);
    assertThat(poller.deleted()).isZero();
    assertThat(lines.lines()).anySatisfy(line -> assertThat(line.action() + " " + line.detail())
        .startsWith("batch-failed").contains("boom"));
  }

  @Test
  void batchItemFailures_unknownMessageId_wholeBatchFailsAsInLambda() {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("unknown-id", Duration.ofSeconds(2), 5);
    sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody("x"));
    sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody("y"));
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
      batches.add(event.getRecords().stream().map(SQSEvent.SQSMessage::getBody).toList());
      return batches.size() == 1
          ? new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("not-in-this-batch")))
          : new SQSBatchResponse(List.of());
    };

    SqsPoller poller = mapping(handler, queue, 1, SqsEventSourceConfig.of(queue.url(), queue.arn())
        .withMaximumConcurrency(1).withPollWait(POLL_WAIT));

    await(Duration.ofSeconds(15), () -> poller.deleted() == 2);
    List<String> later = batches.subList(1, batches.size()).stream().flatMap(List::stream).toList();
    assertThat(later).containsAll(batches.get(0)); // every message of the failed batch came back
    assertThat(poller.failedBatches()).isEqualTo(1);
    assertThat(sqs.depth(queue.url()).total()).isZero();
  }

  @Test
  void batchingWindow_messagesArriveOverTime_gatheredIntoOneInvocation() throws Exception {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("window", Duration.ofSeconds(30), 5);
    Recording handler = new Recording(m -> false);
    mapping(handler, queue, 1, SqsEventSourceConfig.of(queue.url(), queue.arn())
        .withBatch(5, Duration.ofSeconds(3)).withMaximumConcurrency(1).withPollWait(POLL_WAIT));

    for (int i = 0; i < 5; i++) {
      int n = i;
      sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody("m" + n));
      Thread.sleep(150);
    }

    await(Duration.ofSeconds(10), () -> handler.records.size() == 5);
    assertThat(handler.batchSizes).containsExactly(5);
  }

  @Test
  void concurrency_oneAllowed_invocationsNeverOverlapEvenWithThreePollers() {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("serial", Duration.ofSeconds(30), 5);
    for (int i = 0; i < 6; i++) {
      sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody("m"));
    }
    RequestHandler<SQSEvent, SQSBatchResponse> slow = (event, context) -> {
      sleep(100);
      return new SQSBatchResponse(List.of());
    };
    LocalFunction<SQSEvent, SQSBatchResponse> function =
        runtime.function("serial-fn", slow, FunctionConfig.defaults().withConcurrency(1));

    runtime.addSqsEventSource(function, SqsEventSourceConfig.of(queue.url(), queue.arn())
        .withBatch(1, Duration.ZERO).withMaximumConcurrency(3).withPollWait(POLL_WAIT));

    await(Duration.ofSeconds(15), () -> sqs.depth(queue.url()).total() == 0);
    assertThat(function.invocations()).isEqualTo(6);
    assertThat(function.peakConcurrency()).isEqualTo(1);
  }

  @Test
  void close_pollerWaitingOnEmptyQueue_returnsWithinOnePollWait() {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("idle", Duration.ofSeconds(30), 5);
    SqsPoller poller = mapping(new Recording(m -> false), queue, 2, SqsEventSourceConfig.of(queue.url(), queue.arn())
        .withPollWait(POLL_WAIT));
    sleep(300);

    long start = System.nanoTime();
    poller.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(POLL_WAIT.plusMillis(900));
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("mbl-local-poller-idle"));
  }

  @Test
  void poll_sqsReceiveLatency_eachDeliveredBatchPausedBeforeItsInvocation() {
    runtime.close();
    RecordedPauses pauses = new RecordedPauses();
    runtime = new LambdaRuntime(sqs.client(), REGION, ACCOUNT, lines, Clock.systemUTC(),
        new PrintStream(log, true, StandardCharsets.UTF_8), new Latency(LatencyProfile.REALISTIC, pauses));
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("latent", Duration.ofSeconds(30), 5);
    List<Integer> pausesAtInvocation = new CopyOnWriteArrayList<>();
    RequestHandler<SQSEvent, SQSBatchResponse> handler = (event, context) -> {
      pausesAtInvocation.add(pauses.requested().size());
      return new SQSBatchResponse(List.of());
    };
    mapping(handler, queue, 1, SqsEventSourceConfig.of(queue.url(), queue.arn()).withPollWait(POLL_WAIT));

    sqs.client().sendMessage(m -> m.queueUrl(queue.url()).messageBody("first"));
    await(Duration.ofSeconds(10), () -> pausesAtInvocation.size() == 1);
    sqs.client().sendMessage(m -> m.queueUrl(queue.url()).messageBody("second"));
    await(Duration.ofSeconds(10), () -> pausesAtInvocation.size() == 2);

    // Empty long polls ask for nothing; each receive that delivered a batch paused before the batch ran.
    assertThat(pausesAtInvocation).containsExactly(1, 2);
    assertThat(pauses.requested()).containsOnly(LatencyProfile.REALISTIC.sqsReceive());
  }

  private SqsPoller mapping(RequestHandler<SQSEvent, SQSBatchResponse> handler, SqsQueue queue, int concurrency,
      SqsEventSourceConfig config) {
    LocalFunction<SQSEvent, SQSBatchResponse> function =
        runtime.function(queue.name() + "-fn", handler, FunctionConfig.defaults().withConcurrency(concurrency));
    return runtime.addSqsEventSource(function, config);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records every record it sees and reports those {@code fails} picks as batch item failures. */
  private static final class Recording implements RequestHandler<SQSEvent, SQSBatchResponse> {
    final List<SQSEvent.SQSMessage> records = new CopyOnWriteArrayList<>();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final java.util.function.Predicate<SQSEvent.SQSMessage> fails;

    Recording(java.util.function.Predicate<SQSEvent.SQSMessage> fails) {
      this.fails = fails;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
      records.addAll(event.getRecords());
      batchSizes.add(event.getRecords().size());
      return new SQSBatchResponse(event.getRecords().stream().filter(fails)
          .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId())).toList());
    }

    List<String> bodies() {
      return records.stream().map(SQSEvent.SQSMessage::getBody).toList();
    }
  }
}
