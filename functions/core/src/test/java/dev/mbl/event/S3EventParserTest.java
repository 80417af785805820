package dev.mbl.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class S3EventParserTest {
  private static final String CREATED_1 = "orders/2024/my first file.csv";
  private static final String CREATED_2 = "orders/2024/café +1.csv";

  private final S3EventParser parser = new S3EventParser(new ObjectMapper());

  @Test
  void parse_directNotification_decodesCreatesAndIgnoresDelete() {
    ParsedMessage parsed = parser.parse(Fixtures.text("s3-put.json"));

    assertThat(parsed.objects()).containsExactly(
        new S3ObjectRef("landing-bucket", CREATED_1, 1024, "d41d8cd98f00b204e9800998ecf8427e",
            "096fKKXTRTtl3on89fVO.nfljtsv6qko", "0055AED6DCD90281E5"),
        new S3ObjectRef("landing-bucket", CREATED_2, 73400320,
            "9b2cf535f27731c974343645a3985328-14", null, "0055AED6DCD90281E6"));
    assertThat(parsed.objects().get(1).eTag()).isEqualTo("9b2cf535f27731c974343645a3985328-14");
    assertThat(parsed.ignored()).containsExactly(
        "ObjectRemoved:Delete on s3://landing-bucket/orders/2024/old file.csv is not a create event");
  }

  @Test
  void parse_snsEnvelope_unwrapsTheSameNotification() {
    ParsedMessage parsed = parser.parse(Fixtures.text("sns-wrapped.json"));

    assertThat(parsed.objects()).extracting(S3ObjectRef::key).containsExactly(CREATED_1, CREATED_2);
    assertThat(parsed.objects()).extracting(S3ObjectRef::size).containsExactly(1024L, 73400320L);
    assertThat(parsed.ignored()).isEmpty();
  }

  @Test
  void parse_eventBridgeObjectCreated_takesKeyAsIs() {
    ParsedMessage parsed = parser.parse(Fixtures.text("eventbridge-object-created.json"));

    assertThat(parsed.objects()).containsExactly(new S3ObjectRef("landing-bucket",
        "orders/2024/report café+v2 (final).csv", 5, "b1946ac92492d2347c6235b4d2611184",
        "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", "00617F08299329D189"));
    assertThat(parsed.ignored()).isEmpty();
  }

  @Test
  void parse_eventBridgeObjectDeleted_ignoredWithReason() {
    ParsedMessage parsed = parser.parse(Fixtures.text("eventbridge-object-deleted.json"));

    assertThat(parsed.objects()).isEmpty();
    assertThat(parsed.ignored()).containsExactly(
        "Object Deleted on s3://landing-bucket/orders/2024/old file.csv is not a create event");
  }

  @Test
  void parse_testEvent_noObjectsOneReason() {
    ParsedMessage parsed = parser.parse(Fixtures.text("s3-test-event.json"));

    assertThat(parsed.objects()).isEmpty();
    assertThat(parsed.ignored()).containsExactly("s3:TestEvent for bucket landing-bucket only"
        + " confirms the notification configuration; it names no object");
  }

  @Test
  void parse_testEventInsideSns_noObjectsOneReason() {
    ParsedMessage parsed = S3EventParser.create().parse(Fixtures.text("sns-wrapped-test-event.json"));

    assertThat(parsed.objects()).isEmpty();
    assertThat(parsed.ignored()).containsExactly("s3:TestEvent for bucket landing-bucket inside"
        + " the SNS envelope only confirms the notification configuration; it names no object");
  }

  @Test
  void parse_emptyRecords_nothing() {
    ParsedMessage parsed = parser.parse("{\"Records\":[]}");

    assertThat(parsed.objects()).isEmpty();
    assertThat(parsed.ignored()).isEmpty();
  }

  @Test
  void parse_sizeAndOptionalFieldsAbsent_zeroAndNulls() {
    ParsedMessage parsed = parser.parse("{\"Records\":[{\"eventSource\":\"aws:s3\","
        + "\"eventName\":\"ObjectCreated:Copy\",\"s3\":{\"bucket\":{\"name\":\"b\"},"
        + "\"object\":{\"key\":\"a%2Fb%20c\"}}}]}");

    assertThat(parsed.objects()).containsExactly(new S3ObjectRef("b", "a/b c", 0, null, null, null));
  }

  @Test
  void parse_missingKey_namesRecordAndField() {
    assertThatThrownBy(() -> parser.parse(Fixtures.text("malformed-missing-key.json")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("record 2 of the S3 notification has no s3.object.key");
  }

  @Test
  void parse_missingBucketInsideSns_namesRecordEnvelopeAndField() {
    String inner = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
        + "\"s3\":{\"bucket\":{},\"object\":{\"key\":\"k\"}}}]}";
    String body = "{\"Type\":\"Notification\",\"TopicArn\":\"arn:aws:sns:us-east-1:1:t\","
        + "\"Message\":" + new com.fasterxml.jackson.databind.node.TextNode(inner) + "}";

    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("record 1 of the S3 notification inside the SNS envelope has no s3.bucket.name");
  }

  @Test
  void parse_negativeSize_namesRecordFieldAndObject() {
    assertThatThrownBy(() -> parser.parse(Fixtures.text("malformed-negative-size.json")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("record 1 of the S3 notification has a negative s3.object.size -5"
            + " for 's3://landing-bucket/orders/2024/my first file.csv'");
  }

  @Test
  void parse_textualSize_notAWholeNumber() {
    assertThatThrownBy(() -> parser.parse(record("ObjectCreated:Put", "\"key\":\"k\",\"size\":\"12\"")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("record 1 of the S3 notification has s3.object.size '\"12\"', which is not a"
            + " whole number of bytes");
  }

  @Test
  void parse_badPercentEncoding_namesKey() {
    assertThatThrownBy(() -> parser.parse(record("ObjectCreated:Put", "\"key\":\"a%zzb\"")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("record 1 of the S3 notification has an s3.object.key that is not valid URL"
            + " encoding: 'a%zzb'");
  }

  @Test
  void parse_otherEventSource_saysWhatToCheck() {
    String body = "{\"Records\":[{\"eventSource\":\"aws:dynamodb\",\"eventName\":\"INSERT\"}]}";

    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("record 1 of the S3 notification has eventSource 'aws:dynamodb', expected"
            + " 'aws:s3'; check what publishes to this queue");
  }

  @Test
  void parse_missingEventName_rejected() {
    assertThatThrownBy(() -> parser.parse("{\"Records\":[{\"eventSource\":\"aws:s3\"}]}"))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("record 1 of the S3 notification has no eventName");
  }

  @Test
  void parse_recordsNotArrayOrRecordNotObject_rejected() {
    assertThatThrownBy(() -> parser.parse("{\"Records\":{}}"))
        .hasMessage("Records of the S3 notification is not an array");
    assertThatThrownBy(() -> parser.parse("{\"Records\":[{\"eventSource\":\"aws:s3\","
        + "\"eventName\":\"ObjectRemoved:Delete\"},42]}"))
        .hasMessage("record 2 of the S3 notification is not an object");
  }

  @Test
  void parse_notJson_excerptOnly() {
    String body = Fixtures.text("malformed-not-json.txt");

    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageStartingWith("SQS message body is not JSON at line 1 column 1 ('Unrecognized token 'this'")
        .hasMessageEndingWith("); it starts with 'this is not JSON, it is a log line someone sent"
            + " to the wrong queue by mista...'")
        .hasMessageNotContaining("eighty characters")
        .hasNoCause();
  }

  @Test
  void parse_blankOrNull_empty() {
    assertThatThrownBy(() -> parser.parse("  "))
        .hasMessage("SQS message body is empty; expected a JSON object");
    assertThatThrownBy(() -> parser.parse(null))
        .hasMessage("SQS message body is empty; expected a JSON object");
  }

  @Test
  void parse_jsonArray_notAnObject() {
    assertThatThrownBy(() -> parser.parse("[1,2]"))
        .hasMessage("SQS message body is JSON but not an object (starts with '[1,2]'); expected a"
            + " JSON object");
  }

  @Test
  void parse_unknownShape_listsFieldsAndExpectedShapes() {
    assertThatThrownBy(() -> parser.parse(Fixtures.text("malformed-unknown-shape.json")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("the SQS message body has an unknown shape with fields '{version, id,"
            + " detail-type, source, account, time, region, resources, ...}'; expected an S3"
            + " notification {\"Records\":[...]}, an s3:TestEvent, an SNS envelope of one, or an"
            + " EventBridge event from aws.s3");
  }

  @Test
  void parse_snsMessageNotJson_excerptOfMessage() {
    assertThatThrownBy(() -> parser.parse(Fixtures.text("malformed-sns-message-not-json.json")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageStartingWith("the SNS envelope's Message is not JSON at line 1 column 1 ('Unrecognized token 'Amazon'")
        .hasMessageEndingWith("); it starts with 'Amazon S3 sent this notification but it is plain"
            + " text, not the JSON the loa...'")
        .hasMessageNotContaining("SigningCertURL");
  }

  @Test
  void parse_snsMessageOfUnknownShape_saysInsideEnvelope() {
    String body = "{\"Type\":\"Notification\",\"Message\":\"{\\\"hello\\\":1}\"}";

    assertThatThrownBy(() -> parser.parse(body))
        .hasMessage("the message inside the SNS envelope has an unknown shape with fields"
            + " '{hello}'; expected an S3 notification {\"Records\":[...]}, an s3:TestEvent");
  }

  @Test
  void parse_snsSubscriptionConfirmation_rejectedWithType() {
    String body = "{\"Type\":\"SubscriptionConfirmation\",\"TopicArn\":\"arn:aws:sns:us-east-1:1:t\"}";

    assertThatThrownBy(() -> parser.parse(body))
        .hasMessage("the SNS envelope has Type 'SubscriptionConfirmation', expected 'Notification';"
            + " only SNS notifications carry S3 events");
  }

  @Test
  void parse_snsWithoutMessage_rejected() {
    assertThatThrownBy(() -> parser.parse("{\"Type\":\"Notification\",\"TopicArn\":\"t\"}"))
        .hasMessage("the SNS envelope has no Message string");
  }

  @Test
  void parse_eventBridgeCreatedWithoutKey_namesField() {
    String body = "{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\","
        + "\"detail\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"size\":1}}}";

    assertThatThrownBy(() -> parser.parse(body))
        .hasMessage("the EventBridge aws.s3 event has no detail.object.key");
  }

  @Test
  void parse_eventBridgeNegativeSize_namesField() {
    String body = "{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\","
        + "\"detail\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"k\",\"size\":-1}}}";

    assertThatThrownBy(() -> parser.parse(body))
        .hasMessage("the EventBridge aws.s3 event has a negative detail.object.size -1 for 's3://b/k'");
  }

  @Test
  void parse_eventBridgeWithoutDetailOrType_rejected() {
    assertThatThrownBy(() -> parser.parse("{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\"}"))
        .hasMessage("the EventBridge aws.s3 event has no detail object");
    assertThatThrownBy(() -> parser.parse("{\"source\":\"aws.s3\",\"detail\":{}}"))
        .hasMessage("the EventBridge aws.s3 event has no detail-type");
  }

  @Test
  void create_nullMapper_rejected() {
    assertThatThrownBy(() -> new S3EventParser(null)).isInstanceOf(NullPointerException.class);
  }

  private static String record(String eventName, String objectFields) {
    return "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"" + eventName + "\","
        + "\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{" + objectFields + "}}}]}";
  }
}
