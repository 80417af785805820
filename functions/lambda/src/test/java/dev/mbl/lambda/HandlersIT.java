package dev.mbl.lambda;

import static dev.mbl.testing.LoadHarness.TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.app.Components;
import dev.mbl.aws.AwsClients;
import dev.mbl.event.MalformedEventException;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.load.QueueMessage;
import dev.mbl.local.s3.S3Server;
import dev.mbl.log.JsonLog;
import dev.mbl.settings.SettingNames;
import dev.mbl.settings.Settings;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.FileState;
import dev.mbl.warehouse.DataApiWarehouse;
import dev.mbl.warehouse.Warehouse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The three handlers, as Lambda calls them, over DynamoDB Local and S3Proxy. */
class HandlersIT {
  /** What every test here sent: a request kind the handlers send but do not prime would miss SnapStart's preload. */
  private static final SentRequests SENT = new SentRequests();
  private final LoadHarness h = new LoadHarness();
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final ObjectMapper json = new ObjectMapper();
  private final Components components = components();

  private Components components() {
    Settings settings = Settings.fromEnvironment(Map.of(SettingNames.AWS_REGION, "us-east-1",
        SettingNames.TRACKER_TABLE, h.tracker.tableName(), SettingNames.CONFIG_BUCKET, LoadHarness.CONFIG_BUCKET));
    AwsClients clients = AwsClients.create(Region.US_EAST_1,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)),
        Map.of("s3", LoadHarness.s3().endpoint(), "dynamodb", LoadHarness.dynamo().endpoint()))
        .wrapped(s3 -> SENT.recording(S3Client.class, "S3", s3),
            dynamo -> SENT.recording(DynamoDbClient.class, "DynamoDb", dynamo), data -> data);
    Warehouse warehouse = new DataApiWarehouse(SENT.recording(RedshiftDataClient.class, "RedshiftData", h.api));
    return new Components(settings, clients, warehouse, Clock.fixed(h.now(), ZoneOffset.UTC),
        new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
  }

  @AfterAll
  static void everyRequestKindTheHandlersSent_isOneTheirPrimingSends() {
    assertThat(SENT.sent()).as("request kinds sent by these tests").hasSizeGreaterThan(10);
    assertThat(Priming.prime().marshalled()).containsAll(SENT.sent());
  }

  private static SQSEvent sqs(QueueMessage... messages) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (QueueMessage message : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(message.messageId());
      record.setEventSourceArn(message.eventSourceArn());
      record.setBody(message.body());
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  private JsonNode invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, String input)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
    return json.readTree(out.toByteArray());
  }

  private static String statusChange(StatementEvent event) {
    return """
        {"version":"0","id":"%s","detail-type":"Redshift Data Statement Status Change","source":"aws.redshift-data",
         "account":"123456789012","time":"2026-11-21T10:00:05Z","region":"us-east-1",
         "resources":["arn:aws:redshift:us-east-1:123456789012:cluster:analytics"],
         "detail":{"principal":"arn:aws:iam::123456789012:role/mbl","statementName":"%s","statementId":"%s",
         "redshiftQueryId":-1,"state":"%s","rows":4,"expireAt":1764000000}}"""
        .formatted(event.eventId(), event.statementName(), event.statementId(), event.state().name());
  }

  @Test
  void microbatchLoader_mixedBatch_failsExactlyTheUnparseableMessage() throws Exception {
    S3ObjectRef first = h.upload(null);
    S3ObjectRef second = h.upload(null);
    QueueMessage good = h.message("good-1", first, second);
    QueueMessage garbage = new QueueMessage("garbage-2", LoadHarness.QUEUE_ARN,
        "this is not JSON " + "x".repeat(200) + " END-OF-PAYLOAD");
    QueueMessage test = new QueueMessage("test-3", LoadHarness.QUEUE_ARN,
        "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-21T10:00:00Z\",\"Bucket\":\"b\"}");

    SQSBatchResponse response = new MicrobatchLoaderHandler(components).handleRequest(sqs(good, garbage, test), null);

    assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("garbage-2");
    assertThat(h.tracker.ledgerEntries(TABLE)).hasSize(2);
    assertThat(logged.toString(StandardCharsets.UTF_8)).contains("\"action\":\"message-failed\"")
        .contains("\"message_id\":\"garbage-2\"").contains("\"action\":\"started\"").doesNotContain("END-OF-PAYLOAD");

    NextLoaderHandler next = new NextLoaderHandler(components);
    for (StatementEvent event : h.api.finishAll()) {
      JsonNode summary = invoke(next, statusChange(event));
      assertThat(summary.path("actions").path("loaded").asInt()).isEqualTo(1);
    }
    h.assertInvariant();
  }

  @Test
  void microbatchLoader_queueWithBrokenConfig_failsItsMessagesNamingTheConfig() {
    LoadHarness.s3().put(LoadHarness.CONFIG_BUCKET, "config/broken-queue.json",
        "{\"copy\":{\"table_name\":\"public.orders; drop table x\"},\"cluster\":{}}".getBytes(StandardCharsets.UTF_8));
    QueueMessage message = new QueueMessage("m-1", "arn:aws:sqs:us-east-1:123456789012:broken-queue",
        h.message("x", h.upload(null)).body());

    SQSBatchResponse response = new MicrobatchLoaderHandler(components).handleRequest(sqs(message), null);

    assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-1");
    assertThat(logged.toString(StandardCharsets.UTF_8)).contains("config/broken-queue.json")
        .contains("$.copy.table_name");
  }

  @Test
  void nextLoader_scheduledEventWithLostCompletion_reconcilesAndLoads() throws Exception {
    new MicrobatchLoaderHandler(components).handleRequest(sqs(h.message("m-1", h.upload(null))), null);
    h.api.finishAll(); // the completion event never arrives
    h.advance(LoadHarness.TIMINGS.checkRunningAfter());
    NextLoaderHandler next = new NextLoaderHandler(components()); // a later invocation: the clock moved on

    JsonNode summary = invoke(next, """
        {"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012",
         "time":"2026-11-21T10:03:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:1:rule/mbl"],
         "detail":{}}""");

    assertThat(summary.path("trigger").asText()).startsWith("schedule");
    assertThat(summary.path("actions").path("loaded").asInt()).isEqualTo(1);
    h.assertInvariant();
  }

  @Test
  void nextLoader_reconcile_writesOneEmfHealthLinePerRegisteredTable() throws Exception {
    new MicrobatchLoaderHandler(components).handleRequest(sqs(h.message("m-1", h.upload(null))), null);
    for (StatementEvent event : h.api.finishAll()) {
      invoke(new NextLoaderHandler(components), statusChange(event));
    }
    assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("\"_aws\"");

    invoke(new NextLoaderHandler(components), "{\"action\":\"reconcile\"}");

    List<JsonNode> emf = new java.util.ArrayList<>();
    for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
      JsonNode node = json.readTree(line);
      if (node.has("_aws")) {
        emf.add(node);
      }
    }
    assertThat(emf).hasSize(1);
    JsonNode line = emf.get(0);
    assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("mbl/health");
    assertThat(line.path("Table").asText()).isEqualTo(LoadHarness.TABLE.toString());
    assertThat(line.path("Health").asInt()).isZero();
    assertThat(line.path("FilesLoaded").asInt()).isEqualTo(1);
    assertThat(line.path("PendingFiles").asInt()).isZero();
    assertThat(line.path("state").asText()).isEqualTo("OK");
  }

  @Test
  void nextLoader_malformedInput_failsTheInvocation() {
    assertThatThrownBy(() -> invoke(new NextLoaderHandler(components), "{\"hello\":1}"))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void bulkLoader_seedInput_ledgersOnceSkipsOnRerunAndReloadsWithForce() throws Exception {
    S3ObjectRef a = h.upload(null);
    h.upload(null);
    String prefix = "s3://" + LoadHarness.LANDING_BUCKET + "/" + a.key().substring(0, a.key().lastIndexOf('/') + 1);
    String input = """
        {"paths":[{"s3_path":"%s","table":"public.orders","options":"FORMAT AS CSV"}],
         "copy":{"role_arn":"arn:aws:iam::123456789012:role/redshift-copy"},
         "cluster":{"identifier":"analytics","db_name":"dev"}%s}""";
    BulkLoaderHandler bulk = new BulkLoaderHandler(components);

    JsonNode first = invoke(bulk, input.formatted(prefix, ""));
    h.drain(components.coordinator());
    JsonNode rerun = invoke(bulk, input.formatted(prefix, ""));
    JsonNode forced = invoke(bulk, input.formatted(prefix, ",\"force\":true"));

    assertThat(first.path("paths").get(0).path("enqueued").asInt()).isEqualTo(2);
    assertThat(rerun.path("paths").get(0).path("enqueued").asInt()).isZero();
    assertThat(rerun.path("paths").get(0).path("skipped").asInt()).isEqualTo(2);
    assertThat(forced.path("paths").get(0).path("enqueued").asInt()).isEqualTo(2);
    assertThat(h.tracker.ledgerEntries(TABLE)).allMatch(e -> e.state() != FileState.QUARANTINED);
  }

  @Test
  void bulkLoader_inputWithoutPathsOrTables_failsNamingTheFields() {
    assertThatThrownBy(() -> invoke(new BulkLoaderHandler(components), "{\"what\":1}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.paths").hasMessageContaining("$.tables");
  }

  @Test
  void bulkLoader_scheduleInput_loadsYesterdaysPartitionInTheConfiguredZone() throws Exception {
    // The clock says 2026-11-21T10:00Z; in Pacific/Kiritimati (UTC+14) that is already 00:00 on
    // the 22nd, so "yesterday" there is the 21st, while in UTC it is the 20th.
    LoadHarness.s3().put(LoadHarness.LANDING_BUCKET, "daily/2026/11/20/a.csv", rows("daily/2026/11/20/a.csv").getBytes(
        StandardCharsets.UTF_8));
    LoadHarness.s3().put(LoadHarness.LANDING_BUCKET, "daily/2026/11/21/b.csv", rows("daily/2026/11/21/b.csv").getBytes(
        StandardCharsets.UTF_8));
    String input = """
        {"tables":[{"config":"orders-queue","prefix":"s3://%s/daily/{yesterday:yyyy/MM/dd}/"}],
         "time_zone":"%s"}""";

    JsonNode utc = invoke(new BulkLoaderHandler(components), input.formatted(LoadHarness.LANDING_BUCKET, "UTC"));
    JsonNode kiritimati = invoke(new BulkLoaderHandler(components),
        input.formatted(LoadHarness.LANDING_BUCKET, "Pacific/Kiritimati"));
    h.drain(components.coordinator());

    assertThat(utc.path("paths").get(0).path("path").asText()).endsWith("/daily/2026/11/20/");
    assertThat(utc.path("paths").get(0).path("enqueued").asInt()).isEqualTo(1);
    assertThat(kiritimati.path("paths").get(0).path("path").asText()).endsWith("/daily/2026/11/21/");
    assertThat(kiritimati.path("paths").get(0).path("enqueued").asInt()).isEqualTo(1);
    assertThat(h.tracker.ledgerEntries(TABLE)).extracting(e -> e.key())
        .containsExactlyInAnyOrder("daily/2026/11/20/a.csv", "daily/2026/11/21/b.csv");
    h.assertInvariant();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "{\"tables\":[{\"config\":\"orders-queue\",\"prefix\":\"s3://b/p/\"}],\"force\":\"yes\"} | $.force must be true or false",
      "{\"tables\":[{\"config\":\"orders-queue\",\"prefix\":7}]} | $.tables[0].prefix must be a non-empty string",
      "{\"paths\":[{\"s3_path\":\"s3://b/p/\",\"table\":{}}],\"cluster\":{}} | $.paths[0].table must be a non-empty string",
      "{\"tables\":[],\"timezone\":\"UTC\"} | $.timezone is not known"})
  void bulkLoader_mistypedInput_failsNamingTheField(String input, String message) {
    assertThatThrownBy(() -> invoke(new BulkLoaderHandler(components), input))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    assertThat(h.tracker.ledgerEntries(TABLE)).isEmpty();
  }

  /** Two rows naming their file, as the harness's invariant check expects. */
  private static String rows(String key) {
    return key + ",1\n" + key + ",2\n";
  }
}
