package dev.mbl.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.event.S3EventParser;
import dev.mbl.load.LoadEvent;
import dev.mbl.log.JsonLog;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs in a child JVM whose class path is the shaded Lambda jar plus this class alone (ShadedJarIT
 * starts it): builds each handler as Lambda does, with its no-arg constructor and settings from the
 * environment, then invokes them on commands read from standard input, one per line:
 * {@code sqs [{"messageId","eventSourceArn","body"}...]}, {@code next <input>}, {@code bulk <input>},
 * {@code prime -} (see {@link #prime}), {@code quit}. Answers one {@code DRIVER {...}} line per step, with the handler's answer and the
 * step's wall time (reported, never asserted). Only classes from the jar may be used here.
 */
public final class ShadedJarDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "DRIVER ";

  private ShadedJarDriver() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    long start = System.nanoTime();
    MicrobatchLoaderHandler microbatch = new MicrobatchLoaderHandler();
    report(out, "construct", "MicrobatchLoaderHandler", start, null);
    start = System.nanoTime();
    NextLoaderHandler next = new NextLoaderHandler();
    report(out, "construct", "NextLoaderHandler", start, null);
    start = System.nanoTime();
    BulkLoaderHandler bulk = new BulkLoaderHandler();
    report(out, "construct", "BulkLoaderHandler", start, null);

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      int space = line.indexOf(' ');
      String command = line.substring(0, space);
      String payload = line.substring(space + 1);
      start = System.nanoTime();
      try {
        JsonNode answer = switch (command) {
          case "sqs" -> JSON.valueToTree(microbatch.handleRequest(sqsEvent(payload), null));
          case "next" -> stream(next, payload);
          case "bulk" -> stream(bulk, payload);
          case "prime" -> prime();
          default -> throw new IllegalArgumentException("unknown command " + command);
        };
        report(out, command, null, start, answer);
      } catch (RuntimeException failed) {
        ObjectNode error = JSON.createObjectNode().put("error", failed.getClass().getName() + ": "
            + failed.getMessage());
        report(out, command, null, start, error);
      }
    }
  }

  /** The event as Lambda's runtime hands it over: records with id, source queue and body. */
  private static SQSEvent sqsEvent(String payload) throws java.io.IOException {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (JsonNode node : JSON.readTree(payload)) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(node.path("messageId").asText());
      record.setEventSourceArn(node.path("eventSourceArn").asText());
      record.setBody(node.path("body").asText());
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  private static JsonNode stream(RequestStreamHandler handler, String input) throws java.io.IOException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, null);
    return JSON.readTree(output.toByteArray());
  }

  private static void report(PrintStream out, String step, String handler, long start, JsonNode answer) {
    ObjectNode line = JSON.createObjectNode().put("step", step).put("ms", (System.nanoTime() - start) / 1_000_000);
    if (handler != null) {
      line.put("handler", handler);
    }
    if (answer != null) {
      line.set("answer", answer);
    }
    out.println(PREFIX + line);
    out.flush();
  }

  /**
   * What a SnapStart {@code beforeCheckpoint} hook could run without reaching AWS, to measure what
   * it would save the first invocation (docs/performance.md): parse an S3 notification, write a
   * log line to nowhere, and send each request kind mbl uses through the SDK's whole pipeline
   * (marshalling, endpoint rules, signing, HTTP) to a closed local port, without retries.
   */
  static JsonNode prime() {
    S3EventParser.create().parse("""
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",\
        "eventTime":"2026-11-21T10:00:00.000Z","eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0",\
        "bucket":{"name":"b","arn":"arn:aws:s3:::b"},"object":{"key":"k","size":1,"eTag":"e","sequencer":"0A"}}}]}""");
    new JsonLog(new PrintStream(OutputStream.nullOutputStream())).event("prime",
        new LoadEvent("prime", null, null, null, 0, "priming"), Instant.now());
    URI closed = URI.create("http://127.0.0.1:1");
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("prime", "prime"));
    var http = UrlConnectionHttpClient.create();
    int failed = 0;
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(closed).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        S3Client s3 = S3Client.builder().endpointOverride(closed).forcePathStyle(true).region(Region.US_EAST_1)
            .credentialsProvider(credentials).httpClient(http)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        RedshiftDataClient data = RedshiftDataClient.builder().endpointOverride(closed).region(Region.US_EAST_1)
            .credentialsProvider(credentials).httpClient(http)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
      Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromS("s"));
      List<Runnable> calls = List.of(
          () -> dynamo.getItem(r -> r.tableName("t").key(key).consistentRead(true)),
          () -> dynamo.putItem(r -> r.tableName("t").item(key).conditionExpression("attribute_not_exists(pk)")),
          () -> dynamo.updateItem(r -> r.tableName("t").key(key).updateExpression("SET #a = :v")
              .expressionAttributeNames(Map.of("#a", "a")).expressionAttributeValues(Map.of(":v",
                  AttributeValue.fromN("1")))),
          () -> dynamo.query(r -> r.tableName("t").keyConditionExpression("pk = :p")
              .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p")))),
          () -> dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder()
              .put(p -> p.tableName("t").item(key)).build())),
          () -> dynamo.batchGetItem(r -> r.requestItems(Map.of("t", KeysAndAttributes.builder().keys(key).build()))),
          () -> dynamo.deleteItem(r -> r.tableName("t").key(key)),
          () -> s3.getObjectAsBytes(r -> r.bucket("b").key("k")),
          () -> s3.putObject(r -> r.bucket("b").key("k"), RequestBody.fromString("x")),
          () -> s3.headObject(r -> r.bucket("b").key("k")),
          () -> s3.listObjectsV2Paginator(r -> r.bucket("b").prefix("p/")).contents().forEach(o -> { }),
          () -> data.executeStatement(r -> r.clusterIdentifier("c").database("d").sql("select 1").withEvent(true)),
          () -> data.batchExecuteStatement(r -> r.clusterIdentifier("c").database("d").sqls("select 1", "select 2")),
          () -> data.describeStatement(r -> r.id("i")),
          () -> data.describeTable(r -> r.clusterIdentifier("c").database("d").schema("s").table("t")),
          () -> data.getStatementResult(r -> r.id("i")),
          () -> data.listStatements(r -> r.statementName("n")));
      for (Runnable call : calls) {
        try {
          call.run();
        } catch (SdkException expected) { // refused, or whatever answers on that port
          failed++;
        }
      }
      return JSON.createObjectNode().put("calls", calls.size()).put("failed", failed);
    }
  }
}
