package dev.mbl.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mbl.local.Eventually;
import dev.mbl.local.RecordingLog;
import dev.mbl.local.sqs.SqsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Lambda's Invoke API as the Lambda API reference ("Invoke") describes it: status codes per
 * invocation type, the function error header, and the errors' types. ("Invoke" documents the
 * error types and codes; the messages are the ones Lambda returns, which the reference does not list.)
 */
class LambdaEndpointIT {
  private static final List<String> INPUTS = new CopyOnWriteArrayList<>();
  private static SqsServer sqs;
  private static LambdaRuntime runtime;
  private static LambdaEndpoint endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sqs = SqsServer.start("us-east-1", "000000000000",
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    runtime = new LambdaRuntime(sqs.client(), "us-east-1", "000000000000", new RecordingLog(), Clock.systemUTC(), out);
    LocalFunction<byte[], byte[]> echo = runtime.streamFunction("Echo", (in, output, context) -> {
      String input = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      INPUTS.add(input);
      if (input.contains("fail")) {
        throw new IllegalStateException("asked to fail");
      }
      output.write(("{\"echo\":" + input + "}").getBytes(StandardCharsets.UTF_8));
    }, FunctionConfig.defaults());
    LocalFunction<SQSEvent, SQSBatchResponse> typed = runtime.function("Typed", (event, context) ->
        SQSBatchResponse.builder().withBatchItemFailures(List.of(new SQSBatchResponse.BatchItemFailure(
            event.getRecords().get(0).getMessageId() + "@" + event.getRecords().get(0).getEventSourceArn()))).build(),
        FunctionConfig.defaults());
    endpoint = LambdaEndpoint.start("us-east-1", "000000000000", 0);
    endpoint.register("Echo", LambdaEndpoint.of(echo), "live");
    endpoint.register("Typed", LambdaEndpoint.json(typed, SQSEvent.class));
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    runtime.close();
    sqs.close();
  }

  private HttpResponse<String> invoke(String function, String type, String body) throws Exception {
    String[] nameAndQuery = function.split("\\?", 2);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.endpoint() + "/2015-03-31/functions/"
        + nameAndQuery[0] + "/invocations" + (nameAndQuery.length > 1 ? "?" + nameAndQuery[1] : "")))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("X-Amz-Invocation-Type", type);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void invoke_requestResponseByNameArnOrAlias_200WithTheAnswer() throws Exception {
    for (String name : List.of("Echo", "arn:aws:lambda:us-east-1:000000000000:function:Echo", "Echo:live",
        "000000000000:function:Echo", "Echo?Qualifier=%24LATEST")) {
      HttpResponse<String> answer = invoke(name, null, "{\"n\":1}");

      assertThat(answer.statusCode()).as(name).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("{\"echo\":{\"n\":1}}");
      assertThat(answer.headers().firstValue("X-Amz-Executed-Version")).contains("$LATEST");
    }
  }

  @Test
  void invoke_handlerThrows_200WithUnhandledFunctionError() throws Exception {
    HttpResponse<String> answer = invoke("Echo", "RequestResponse", "\"fail\"");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
    assertThat(answer.body()).contains("\"errorMessage\":\"asked to fail\"")
        .contains("\"errorType\":\"java.lang.IllegalStateException\"");
  }

  @Test
  void invoke_eventAndDryRun_202QueuedAnd204NotRun() throws Exception {
    assertThat(invoke("Echo", "DryRun", "{\"dry\":1}").statusCode()).isEqualTo(204);
    assertThat(invoke("Echo", "Event", "{\"async\":1}").statusCode()).isEqualTo(202);

    Eventually.await(Duration.ofSeconds(10), () -> INPUTS.contains("{\"async\":1}"));
    assertThat(INPUTS).doesNotContain("{\"dry\":1}");
  }

  @Test
  void invoke_unknownFunctionOrAlias_404ResourceNotFound() throws Exception {
    HttpResponse<String> unknown = invoke("Nope", null, "{}");
    HttpResponse<String> alias = invoke("Echo:blue", null, "{}");
    HttpResponse<String> otherAccount = invoke("arn:aws:lambda:us-east-1:111122223333:function:Echo", null, "{}");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).contains("ResourceNotFoundException");
    assertThat(unknown.body()).contains("Function not found: arn:aws:lambda:us-east-1:000000000000:function:Nope");
    assertThat(alias.body()).contains("function:Echo:blue");
    assertThat(otherAccount.statusCode()).isEqualTo(404);
  }

  @Test
  void invoke_payloadNotJsonOrTooLarge_refusedWithLambdasErrors() throws Exception {
    HttpResponse<String> notJson = invoke("Echo", null, "not json");
    HttpResponse<String> tooLarge = invoke("Echo", null, "\"" + "x".repeat(LambdaEndpoint.SYNC_PAYLOAD_LIMIT) + "\"");
    HttpResponse<String> asyncTooLarge = invoke("Echo", "Event",
        "\"" + "x".repeat(LambdaEndpoint.ASYNC_PAYLOAD_LIMIT) + "\"");
    HttpResponse<String> badType = invoke("Echo", "Later", "{}");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.headers().firstValue("x-amzn-ErrorType")).contains("InvalidRequestContentException");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    assertThat(asyncTooLarge.statusCode()).isEqualTo(413);
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(INPUTS).noneMatch(i -> i.length() > 1000);
  }

  @Test
  void invoke_typedFunction_eventReadWithLambdasPropertyNames() throws Exception {
    HttpResponse<String> answer = invoke("Typed", null, "{\"Records\":[{\"messageId\":\"m-1\","
        + "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:orders\",\"body\":\"{}\"}]}");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("m-1@arn:aws:sqs:us-east-1:000000000000:orders");
  }
}
