package dev.mbl.local.lambda;

import static dev.mbl.local.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.mbl.event.NextLoaderInput;
import dev.mbl.event.NextLoaderInputParser;
import dev.mbl.local.events.EventBus;
import dev.mbl.local.events.EventPattern;
import dev.mbl.log.JsonLog;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.regions.Region;

class LambdaRuntimeIT {
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
  // No queue is polled here: the client is never called.
  private final SqsClient unusedSqs = SqsClient.builder().region(Region.EU_WEST_1)
      .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
      .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create()).build();
  private final LambdaRuntime runtime =
      new LambdaRuntime(unusedSqs, "eu-west-1", "123456789012", new JsonLog(out)::message, Clock.systemUTC(), out);
  private final List<String> inputs = new CopyOnWriteArrayList<>();
  private final RequestStreamHandler recording = (input, output, context) -> {
    inputs.add(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    output.write("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
  };

  @AfterEach
  void close() {
    runtime.close();
    unusedSqs.close();
  }

  @Test
  void schedule_reconcileRule_invokesWithScheduledEventTheRealParserAccepts() {
    LocalFunction<byte[], byte[]> fn = runtime.streamFunction("NextLoader", recording, FunctionConfig.defaults());

    runtime.schedule("mbl-reconcile", Duration.ofMillis(100), fn);

    await(Duration.ofSeconds(5), () -> inputs.size() >= 2);
    NextLoaderInput parsed = NextLoaderInputParser.create().parse(inputs.get(0).getBytes(StandardCharsets.UTF_8));
    assertThat(parsed).isInstanceOfSatisfying(NextLoaderInput.Reconcile.class,
        r -> assertThat(r.trigger()).isEqualTo("schedule arn:aws:events:eu-west-1:123456789012:rule/mbl-reconcile"));
    assertThat(inputs.get(0)).contains("\"detail-type\":\"Scheduled Event\"").contains("\"source\":\"aws.events\"")
        .contains("\"account\":\"123456789012\"").contains("\"detail\":{}");
    assertThat(inputs.get(0)).isNotEqualTo(inputs.get(1)); // a fresh id per firing
  }

  @Test
  void schedule_constantInput_invokesWithThatInputEachPeriod() {
    LocalFunction<byte[], byte[]> fn = runtime.streamFunction("BulkLoader", recording, FunctionConfig.defaults());
    String input = "{\"tables\":[\"orders\"],\"time_zone\":\"UTC\"}";

    runtime.schedule(Duration.ofMillis(100), fn, input.getBytes(StandardCharsets.UTF_8));

    await(Duration.ofSeconds(5), () -> inputs.size() >= 2);
    assertThat(inputs.subList(0, 2)).containsOnly(input);
  }

  @Test
  void eventTarget_ruleOnBus_invokesFunctionWithEventJson() throws Exception {
    LocalFunction<byte[], byte[]> fn = runtime.streamFunction("NextLoader", recording, FunctionConfig.defaults());
    String event;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/redshift-data-finished.json")) {
      event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (EventBus bus = new EventBus(new JsonLog(out)::message, Clock.systemUTC())) {
      bus.addRule("next-loader", EventPattern.dataApiCompletion("mbl/"), runtime.eventTarget(fn));

      bus.statusEvents().accept(event);

      await(Duration.ofSeconds(5), () -> inputs.size() == 1);
    }
    assertThat(inputs).containsExactly(event);
  }

  @Test
  void invoke_streamHandler_returnsItsOutputAndContextIsFilledIn() {
    List<String> contexts = new CopyOnWriteArrayList<>();
    LocalFunction<byte[], byte[]> fn = runtime.streamFunction("Probe", (input, output, context) -> {
      contexts.add(context.getFunctionName() + "|" + context.getInvokedFunctionArn() + "|"
          + (context.getRemainingTimeInMillis() > 0) + "|" + context.getAwsRequestId().length());
      output.write(input.readAllBytes());
    }, FunctionConfig.defaults());

    byte[] answer = fn.invoke("{\"echo\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"echo\":1}");
    assertThat(contexts).containsExactly("Probe|arn:aws:lambda:eu-west-1:123456789012:function:Probe|true|36");
  }

  @Test
  void invokeAsync_handlerFailsTwice_retriedLikeLambdaThenSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    LocalFunction<byte[], byte[]> fn = runtime.streamFunction("Flaky", (input, output, context) -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("transient");
      }
    }, FunctionConfig.defaults().withAsyncRetries(2, Duration.ofMillis(20)));

    fn.invokeAsync(new byte[0]).get(5, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(calls).hasValue(3);
    assertThat(fn.errors()).isEqualTo(2);
  }

  @Test
  void invokeAsync_handlerAlwaysFails_loggedAfterLastRetry() {
    LocalFunction<byte[], byte[]> fn = runtime.streamFunction("Broken", (input, output, context) -> {
      throw new IllegalStateException("permanent");
    }, FunctionConfig.defaults().withAsyncRetries(1, Duration.ofMillis(20)));

    var result = fn.invokeAsync(new byte[0]);

    await(Duration.ofSeconds(5), result::isDone);
    assertThat(result).isCompletedExceptionally();
    assertThat(fn.invocations()).isEqualTo(2);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("\"function\":\"Broken\"")
        .contains("\"action\":\"invocation-failed\"").contains("after 2 attempt(s)").contains("permanent");
  }

  @Test
  void invokeAsync_concurrencyOne_invocationsSerialised() {
    LocalFunction<byte[], byte[]> fn = runtime.streamFunction("Serial", (input, output, context) -> {
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, FunctionConfig.defaults().withConcurrency(1));
    LocalFunction<byte[], byte[]> pair = runtime.streamFunction("Pair", (input, output, context) -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, FunctionConfig.defaults());

    for (int i = 0; i < 5; i++) {
      fn.invokeAsync(new byte[0]);
      pair.invokeAsync(new byte[0]);
    }

    await(Duration.ofSeconds(5), () -> fn.invocations() == 5 && pair.invocations() == 5);
    assertThat(fn.peakConcurrency()).isEqualTo(1);
    assertThat(pair.peakConcurrency()).isEqualTo(2);
  }
}
