package dev.mbl.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3EventJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final S3EventJson events = new S3EventJson("us-east-1", "AWS:AIDAJDPLRKLG7UEXAMPLE", "A3NL1KOZZKExample");

  @Test
  void notification_awsSampleValues_equalsAwsSampleRecordFieldForField() throws Exception {
    JsonNode sample = fixture("events/s3-put.json").get("Records").get(0).deepCopy();
    ((ObjectNode) sample.at("/s3/object")).remove("versionId"); // only in versioned buckets

    String json = events.notification(new ObjectCreated(ObjectCreated.PUT, "landing-bucket",
        "orders/2024/my first file.csv", 1024, "d41d8cd98f00b204e9800998ecf8427e",
        Instant.parse("2024-05-01T12:00:00Z"), "0055AED6DCD90281E5"), "mbl-orders", "C3D13FE58DE4C810",
        "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD");

    JsonNode root = JSON.readTree(json);
    assertThat(root.get("Records")).hasSize(1);
    assertThat(root.get("Records").get(0)).isEqualTo(sample);
    assertThat(root.get("Records").get(0).toString()).isEqualTo(sample.toString()); // same field order too
  }

  @Test
  void testEvent_awsSampleValues_equalsAwsSample() throws Exception {
    String json = events.testEvent("landing-bucket", Instant.parse("2024-05-01T11:59:00Z"), "5582815E1AEA5ADF",
        "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE");

    assertThat(JSON.readTree(json).toString()).isEqualTo(fixture("events/s3-test-event.json").toString());
  }

  @Test
  void encodeKey_specialCharacters_encodedLikeS3() {
    assertThat(S3EventJson.encodeKey("orders/2024/café +1.csv")).isEqualTo("orders/2024/caf%C3%A9+%2B1.csv");
    assertThat(S3EventJson.encodeKey("dt=2024-01-01/a b.csv")).isEqualTo("dt%3D2024-01-01/a+b.csv");
    assertThat(S3EventJson.encodeKey("plain/key_1-2.csv")).isEqualTo("plain/key_1-2.csv");
  }

  @Test
  void matches_prefixAndSuffix_bothRequiredAndNotOverlapping() {
    NotificationRule rule = new NotificationRule("id", "b", "in/", ".csv", "http://q/1/q");

    assertThat(rule.matches("b", "in/x.csv")).isTrue();
    assertThat(rule.matches("b", "in/x.json")).isFalse();
    assertThat(rule.matches("other", "in/x.csv")).isFalse();
    assertThat(new NotificationRule("id", "b", "a", "ab", "http://q/1/q").matches("b", "ab")).isFalse();
  }

  private static JsonNode fixture(String path) throws Exception {
    try (InputStream in = S3EventJsonTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return JSON.readTree(in);
    }
  }
}
