package dev.mbl.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mbl.event.NextLoaderInputParser;
import dev.mbl.event.S3EventParser;
import dev.mbl.load.LoadEvent;
import dev.mbl.load.QueueMessage;
import dev.mbl.log.JsonLog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Loads, before a SnapStart snapshot, what a restored instance's first invocation would otherwise
 * load: AWS recommends preloading in initialisation code ("Maximize Lambda SnapStart
 * performance"), and a restore skips the constructor but not the classes it never touched. Runs
 * only when {@code AWS_LAMBDA_INITIALIZATION_TYPE} is {@code snap-start} ("Defined runtime
 * environment variables"), so an on-demand cold start does not pay for it.
 *
 * <p>It has no effect outside the process: the sample events are parsed in memory, the log line
 * goes to a discarded sink, and each request kind goes through SDK clients built for the purpose,
 * pointed at a closed local port, without retries, and closed afterwards. The handlers' own
 * clients are never used, so nothing reaches AWS, the tracker, S3 or the warehouse.
 */
final class Priming {
  static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
  static final String SNAP_START = "snap-start";
  /** The discard port: nothing listens there, so each request is refused at connect. */
  static final URI CLOSED_PORT = URI.create("http://127.0.0.1:9");
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final String S3_NOTIFICATION = """
      {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",\
      "eventTime":"2026-11-21T10:00:00.000Z","eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0",\
      "bucket":{"name":"b","arn":"arn:aws:s3:::b"},"object":{"key":"k","size":1,"eTag":"e","sequencer":"0A"}}}]}""";
  private static final String STATUS_CHANGE = """
      {"version":"0","id":"prime","detail-type":"Redshift Data Statement Status Change",\
      "source":"aws.redshift-data","account":"123456789012","time":"2026-11-21T10:00:00Z","region":"us-east-1",\
      "resources":["arn:aws:redshift:us-east-1:123456789012:cluster:c"],"detail":{"statementName":"mbl/prime",\
      "statementId":"s","redshiftQueryId":1,"state":"FINISHED","rows":1,"expireAt":1790000000}}""";

  /**
   * What a priming did.
   *
   * @param marshalled each request sent, as {@code Service.Operation}, after marshalling and signing
   * @param refused how many of them failed as expected (nothing answers on the closed port)
   * @param millis how long the priming took
   */
  record Report(List<String> marshalled, int refused, long millis) {
    Report {
      marshalled = List.copyOf(Objects.requireNonNull(marshalled, "marshalled"));
      if (refused < 0 || refused > marshalled.size() || millis < 0) {
        throw new IllegalArgumentException("a priming report needs 0 <= refused (" + refused + ") <= requests ("
            + marshalled.size() + ") and millis >= 0 (" + millis + ")");
      }
    }
  }

  private Priming() {}

  /**
   * Primes with {@code prime} when {@code env} says Lambda is initialising for a snapshot, and logs
   * one line saying what it did ({@code primed}) or why it could not ({@code prime-failed}).
   * Never throws: a failed priming costs the first invocation after a restore, nothing else.
   *
   * @return the report, or empty when not on SnapStart or when priming failed
   */
  static Optional<Report> onInitialization(Map<String, String> env, String function, JsonLog log,
      Supplier<Report> prime) {
    if (!SNAP_START.equals(env.get(INITIALIZATION_TYPE))) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    try {
      Report report = prime.get();
      var fields = log.mapper().createObjectNode().put("request_kinds", report.marshalled().size())
          .put("refused", report.refused()).put("ms", report.millis());
      log.summary(function, "primed", fields, Clock.systemUTC().instant());
      return Optional.of(report);
    } catch (Throwable failed) { // errors too: a class the shade filters cut must not fail the initialisation
      log.message(function, "WARN", "prime-failed", null, null, failed.getClass().getName() + ": "
          + failed.getMessage() + " after " + (System.nanoTime() - start) / 1_000_000
          + " ms; the first invocation after a restore loads what priming would have", Clock.systemUTC().instant());
      return Optional.empty();
    }
  }

  /**
   * Parses a sample S3 notification in an SQS event and a Data API status change, writes log lines
   * to nowhere, and sends each S3, DynamoDB and Data API request kind mbl uses to
   * {@link #CLOSED_PORT}.
   */
  static Report prime() {
    long start = System.nanoTime();
    parseSamples();
    List<String> marshalled = new CopyOnWriteArrayList<>();
    int refused = 0;
    SdkHttpClient http = UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(READ_TIMEOUT).build();
    ClientOverrideConfiguration config = ClientOverrideConfiguration.builder()
        .retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(new Recorder(marshalled)).build();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("prime", "prime"));
    try (http;
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(CLOSED_PORT).region(Region.US_EAST_1)
            .credentialsProvider(credentials).httpClient(http).overrideConfiguration(config).build();
        S3Client s3 = S3Client.builder().endpointOverride(CLOSED_PORT).forcePathStyle(true).region(Region.US_EAST_1)
            .credentialsProvider(credentials).httpClient(http).overrideConfiguration(config)
            // As the handlers' client (AwsClients): checksums only where S3 requires them.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
        RedshiftDataClient data = RedshiftDataClient.builder().endpointOverride(CLOSED_PORT).region(Region.US_EAST_1)
            .credentialsProvider(credentials).httpClient(http).overrideConfiguration(config).build()) {
      for (Runnable request : PrimingRequests.all(dynamo, s3, data)) {
        try {
          request.run();
        } catch (SdkException expected) { // refused at connect
          refused++;
        }
      }
    }
    return new Report(marshalled, refused, (System.nanoTime() - start) / 1_000_000);
  }

  /** The handlers' parsing and logging, on samples, with the log written to nowhere. */
  private static void parseSamples() {
    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
    record.setMessageId("prime");
    record.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:prime");
    record.setBody(S3_NOTIFICATION);
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(record));
    S3EventParser s3Events = S3EventParser.create();
    for (QueueMessage message : MicrobatchLoaderHandler.messages(event)) {
      s3Events.parse(message.body());
    }
    NextLoaderInputParser.create().parse(STATUS_CHANGE.getBytes(StandardCharsets.UTF_8));
    JsonLog nowhere = new JsonLog(new PrintStream(OutputStream.nullOutputStream()));
    var now = Clock.systemUTC().instant();
    nowhere.event("prime", new LoadEvent("prime", null, null, null, 1, "priming"), now);
    nowhere.message("prime", "WARN", "prime", "q", "m", "priming", now);
    nowhere.summary("prime", "prime", nowhere.mapper().createObjectNode().put("n", 1), now);
    MicrobatchLoaderHandler.response(List.of("prime"));
  }

  /** Records each request as it is about to be sent: marshalled, signed, with its endpoint resolved. */
  private static final class Recorder implements ExecutionInterceptor {
    private final List<String> sent;

    Recorder(List<String> sent) {
      this.sent = sent;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      sent.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
          + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
  }
}
