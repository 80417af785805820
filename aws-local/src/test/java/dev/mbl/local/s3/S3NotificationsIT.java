package dev.mbl.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.local.RecordingLog;
import dev.mbl.local.sqs.SqsQueue;
import dev.mbl.local.sqs.SqsServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.Message;

class S3NotificationsIT {
  private static final String REGION = "eu-west-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret"));
  private static final RecordingLog LOG = new RecordingLog();
  /** Whether each notified object could be read back at the moment its notification was sent. */
  private static final List<Boolean> STORED_WHEN_SENT = new CopyOnWriteArrayList<>();

  private static SqsServer sqs;
  private static S3Server s3;
  private static S3Notifications notifications;

  @BeforeAll
  static void start() {
    sqs = SqsServer.start(REGION, "123456789012", CREDENTIALS);
    NotificationSender toSqs = (url, body) -> {
      STORED_WHEN_SENT.add(readable(body));
      sqs.client().sendMessage(m -> m.queueUrl(url).messageBody(body));
    };
    notifications = new S3Notifications(new S3EventJson(REGION, "AWS:local", "LOCALOWNER"), toSqs,
        Clock.systemUTC(), LOG);
    s3 = S3Server.start(null, "local", "local-secret", notifications);
  }

  @AfterAll
  static void stop() {
    s3.close();
    sqs.close();
  }

  @Test
  void putObject_keyWithSpacesAndEquals_awsShapedRecordWithEncodedKeySizeAndETag() throws Exception {
    SqsQueue queue = sqs.createQueue("put-events", Duration.ofSeconds(30));
    s3().createBucket(b -> b.bucket("landing-put"));
    notifications.add(NotificationRule.of("landing-put", "in/", queue.url()));
    byte[] body = "id,name\n1,Ann\n".getBytes(StandardCharsets.UTF_8);

    s3().putObject(p -> p.bucket("landing-put").key("in/dt=2024-01-02/my file ü.csv"), RequestBody.fromBytes(body));

    JsonNode record = onlyRecord(queue.url());
    assertThat(fieldNames(record)).containsExactly("eventVersion", "eventSource", "awsRegion", "eventTime",
        "eventName", "userIdentity", "requestParameters", "responseElements", "s3");
    assertThat(record.get("eventVersion").asText()).isEqualTo("2.1");
    assertThat(record.get("eventSource").asText()).isEqualTo("aws:s3");
    assertThat(record.get("awsRegion").asText()).isEqualTo(REGION);
    assertThat(record.get("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
    assertThat(record.at("/userIdentity/principalId").asText()).isEqualTo("AWS:local");
    assertThat(record.at("/requestParameters/sourceIPAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(fieldNames(record.get("responseElements"))).containsExactly("x-amz-request-id", "x-amz-id-2");
    JsonNode s3Part = record.get("s3");
    assertThat(fieldNames(s3Part)).containsExactly("s3SchemaVersion", "configurationId", "bucket", "object");
    assertThat(s3Part.get("s3SchemaVersion").asText()).isEqualTo("1.0");
    assertThat(s3Part.get("configurationId").asText()).isEqualTo("mbl-put-events");
    assertThat(s3Part.at("/bucket/name").asText()).isEqualTo("landing-put");
    assertThat(s3Part.at("/bucket/ownerIdentity/principalId").asText()).isEqualTo("LOCALOWNER");
    assertThat(s3Part.at("/bucket/arn").asText()).isEqualTo("arn:aws:s3:::landing-put");
    JsonNode object = s3Part.get("object");
    assertThat(fieldNames(object)).containsExactly("key", "size", "eTag", "sequencer");
    assertThat(object.get("key").asText()).isEqualTo("in/dt%3D2024-01-02/my+file+%C3%BC.csv");
    assertThat(object.get("size").isIntegralNumber()).isTrue();
    assertThat(object.get("size").asLong()).isEqualTo(body.length);
    assertThat(object.get("eTag").asText()).isEqualTo(md5(body));
    assertThat(object.get("sequencer").asText()).matches("[0-9A-F]{18}");
    assertThat(STORED_WHEN_SENT).doesNotContain(false);
  }

  @Test
  void copyObject_intoWatchedPrefix_copyEventWithSourceSizeAndETag() throws Exception {
    SqsQueue queue = sqs.createQueue("copy-events", Duration.ofSeconds(30));
    s3().createBucket(b -> b.bucket("landing-copy"));
    byte[] body = "copied".getBytes(StandardCharsets.UTF_8);
    s3().putObject(p -> p.bucket("landing-copy").key("staging/a.csv"), RequestBody.fromBytes(body));
    notifications.add(NotificationRule.of("landing-copy", "in/", queue.url()));

    s3().copyObject(c -> c.sourceBucket("landing-copy").sourceKey("staging/a.csv")
        .destinationBucket("landing-copy").destinationKey("in/a.csv"));

    JsonNode record = onlyRecord(queue.url());
    assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:Copy");
    assertThat(record.at("/s3/object/key").asText()).isEqualTo("in/a.csv");
    assertThat(record.at("/s3/object/size").asLong()).isEqualTo(body.length);
    assertThat(record.at("/s3/object/eTag").asText()).isEqualTo(md5(body));
  }

  @Test
  void completeMultipartUpload_twoParts_oneEventWithTotalSizeAndMultipartETag() throws Exception {
    SqsQueue queue = sqs.createQueue("multipart-events", Duration.ofSeconds(30));
    s3().createBucket(b -> b.bucket("landing-multipart"));
    notifications.add(NotificationRule.of("landing-multipart", "", queue.url()));
    byte[] first = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(first, (byte) 'a');
    byte[] second = "tail".getBytes(StandardCharsets.UTF_8);

    String uploadId = s3().createMultipartUpload(c -> c.bucket("landing-multipart").key("big.csv")).uploadId();
    String tag1 = s3().uploadPart(u -> u.bucket("landing-multipart").key("big.csv").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(first)).eTag();
    String tag2 = s3().uploadPart(u -> u.bucket("landing-multipart").key("big.csv").uploadId(uploadId).partNumber(2),
        RequestBody.fromBytes(second)).eTag();
    assertThat(receiveAll(sqs.createQueue("multipart-events", Duration.ofSeconds(30)).url(), 0)).isEmpty();
    s3().completeMultipartUpload(c -> c.bucket("landing-multipart").key("big.csv").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(tag1).build(),
            CompletedPart.builder().partNumber(2).eTag(tag2).build())));

    JsonNode record = onlyRecord(queue.url());
    assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
    assertThat(record.at("/s3/object/size").asLong()).isEqualTo(first.length + second.length);
    String headTag = s3().headObject(h -> h.bucket("landing-multipart").key("big.csv")).eTag().replace("\"", "");
    assertThat(record.at("/s3/object/eTag").asText()).isEqualTo(headTag).endsWith("-2");
  }

  @Test
  void putObject_twoRulesByPrefixAndSuffix_eachQueueGetsOnlyItsKeys() throws Exception {
    SqsQueue orders = sqs.createQueue("route-orders", Duration.ofSeconds(30));
    SqsQueue customers = sqs.createQueue("route-customers", Duration.ofSeconds(30));
    s3().createBucket(b -> b.bucket("landing-route"));
    notifications.add(NotificationRule.of("landing-route", "orders/", orders.url()));
    notifications.add(new NotificationRule("csv-only", "landing-route", "customers/", ".csv", customers.url()));

    for (String key : List.of("orders/1.csv", "customers/1.csv", "customers/1.json", "other/1.csv", "orders2/x")) {
      s3().putObject(p -> p.bucket("landing-route").key(key), RequestBody.fromString(key));
    }

    assertThat(keys(receiveAll(orders.url(), 1))).containsExactly("orders/1.csv");
    assertThat(keys(receiveAll(customers.url(), 1))).containsExactly("customers/1.csv");
  }

  @Test
  void putObject_queueMissing_putSucceedsAndFailureIsLogged() {
    s3().createBucket(b -> b.bucket("landing-lost"));
    notifications.add(NotificationRule.of("landing-lost", "", sqs.endpoint() + "/123456789012/no-such-queue"));

    s3().putObject(p -> p.bucket("landing-lost").key("a.csv"), RequestBody.fromString("a"));

    assertThat(s3().getObjectAsBytes(g -> g.bucket("landing-lost").key("a.csv")).asUtf8String()).isEqualTo("a");
    assertThat(LOG.lines()).anySatisfy(line -> assertThat(line.action() + " " + line.detail())
        .startsWith("notification-failed").contains("landing-lost/a.csv"));
  }

  @Test
  void start_filesystemBackend_objectsSurviveRestartAndPutsAreNotified(@TempDir Path directory) throws Exception {
    SqsQueue queue = sqs.createQueue("disk-events", Duration.ofSeconds(30));
    S3Notifications diskNotifications = new S3Notifications(new S3EventJson(REGION, "AWS:local", "LOCALOWNER"),
        (url, body) -> sqs.client().sendMessage(m -> m.queueUrl(url).messageBody(body)), Clock.systemUTC(),
        LOG);
    diskNotifications.add(NotificationRule.of("disk", "", queue.url()));
    try (S3Server disk = S3Server.start(directory, "local", "local-secret", diskNotifications)) {
      disk.client().createBucket(b -> b.bucket("disk"));
      disk.client().putObject(p -> p.bucket("disk").key("kept.csv"), RequestBody.fromString("kept"));
    }
    assertThat(onlyRecord(queue.url()).at("/s3/object/key").asText()).isEqualTo("kept.csv");

    try (S3Server again = S3Server.start(directory, "local", "local-secret", diskNotifications)) {
      assertThat(again.client().getObjectAsBytes(g -> g.bucket("disk").key("kept.csv")).asUtf8String())
          .isEqualTo("kept");
    }
  }

  @Test
  void list_filesystemBackendDuringAPut_hidesThePutsTemporaryFileAsS3Would(@TempDir Path directory) throws Exception {
    S3Notifications none = new S3Notifications(new S3EventJson(REGION, "AWS:local", "LOCALOWNER"), (url, body) -> { },
        Clock.systemUTC(), LOG);
    try (S3Server disk = S3Server.start(directory, "local", "local-secret", none)) {
      disk.client().createBucket(b -> b.bucket("listing"));
      disk.client().putObject(p -> p.bucket("listing").key("a.csv"), RequestBody.fromString("a"));
      // What S3Proxy's filesystem store leaves beside a.csv while a PUT of a.csv runs; S3 never lists it.
      String temporary = "a.csv-" + java.util.UUID.randomUUID();
      // A real object whose name merely looks like one (no PUT of b.csv ran): S3 lists it.
      String lookalike = "b.csv-" + java.util.UUID.randomUUID();
      Path bucket = java.nio.file.Files.walk(directory).filter(f -> f.getFileName().toString().equals("a.csv"))
          .findFirst().orElseThrow().getParent();
      java.nio.file.Files.writeString(bucket.resolve(temporary), "partial");
      disk.client().putObject(p -> p.bucket("listing").key(lookalike), RequestBody.fromString("b"));

      var keys = disk.client().listObjectsV2(l -> l.bucket("listing")).contents().stream().map(o -> o.key()).toList();

      assertThat(keys).containsExactlyInAnyOrder("a.csv", lookalike);
    }
  }

  private static S3Client s3() {
    return s3.client();
  }

  private static JsonNode onlyRecord(String queueUrl) throws Exception {
    List<Message> messages = receiveAll(queueUrl, 2);
    assertThat(messages).hasSize(1);
    JsonNode root = JSON.readTree(messages.get(0).body());
    assertThat(fieldNames(root)).containsExactly("Records");
    assertThat(root.get("Records")).hasSize(1);
    return root.get("Records").get(0);
  }

  private static List<Message> receiveAll(String queueUrl, int waitSeconds) {
    List<Message> all = new ArrayList<>();
    List<Message> got;
    do {
      got = sqs.client().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(all.isEmpty() ? waitSeconds : 0)).messages();
      all.addAll(got);
    } while (!got.isEmpty());
    return all;
  }

  private static List<String> keys(List<Message> messages) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Message m : messages) {
      keys.add(URLDecoder.decode(JSON.readTree(m.body()).at("/Records/0/s3/object/key").asText(),
          StandardCharsets.UTF_8));
    }
    return keys;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String md5(byte[] body) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
  }

  private static boolean readable(String body) {
    try {
      JsonNode record = JSON.readTree(body).at("/Records/0");
      if (record.isMissingNode()) {
        return true;
      }
      String key = URLDecoder.decode(record.at("/s3/object/key").asText(), StandardCharsets.UTF_8);
      s3().headObject(h -> h.bucket(record.at("/s3/bucket/name").asText()).key(key));
      return true;
    } catch (S3Exception | java.io.IOException e) {
      return false;
    }
  }
}
