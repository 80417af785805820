package dev.mbl.local.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Writes S3 event notifications in AWS's exact shape (event version 2.1), field for field and in
 * AWS's order, so handlers parse locally what they will parse in production. Pure and
 * thread-safe.
 */
public final class S3EventJson {
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectMapper json = new ObjectMapper();
  private final String region;
  private final String principalId;
  private final String ownerId;

  /**
   * @param region the bucket's region ({@code awsRegion})
   * @param principalId who wrote the object ({@code userIdentity.principalId}), e.g. {@code AWS:AIDA...}
   * @param ownerId the bucket owner's canonical id ({@code bucket.ownerIdentity.principalId})
   */
  public S3EventJson(String region, String principalId, String ownerId) {
    this.region = Objects.requireNonNull(region, "region");
    this.principalId = Objects.requireNonNull(principalId, "principalId");
    this.ownerId = Objects.requireNonNull(ownerId, "ownerId");
  }

  /** The notification body S3 sends to SQS for one created object. */
  public String notification(ObjectCreated object, String configurationId, String requestId, String hostId) {
    ObjectNode root = json.createObjectNode();
    ObjectNode record = root.putArray("Records").addObject();
    record.put("eventVersion", "2.1");
    record.put("eventSource", "aws:s3");
    record.put("awsRegion", region);
    record.put("eventTime", EVENT_TIME.format(object.time()));
    record.put("eventName", object.eventName());
    record.putObject("userIdentity").put("principalId", principalId);
    record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
    record.putObject("responseElements").put("x-amz-request-id", requestId).put("x-amz-id-2", hostId);
    ObjectNode s3 = record.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", configurationId);
    ObjectNode bucket = s3.putObject("bucket");
    bucket.put("name", object.bucket());
    bucket.putObject("ownerIdentity").put("principalId", ownerId);
    bucket.put("arn", "arn:aws:s3:::" + object.bucket());
    ObjectNode item = s3.putObject("object");
    item.put("key", encodeKey(object.key()));
    item.put("size", object.size());
    item.put("eTag", object.eTag());
    item.put("sequencer", object.sequencer());
    return root.toString();
  }

  /** The {@code s3:TestEvent} S3 sends to a queue when a notification configuration is saved. */
  public String testEvent(String bucket, Instant time, String requestId, String hostId) {
    ObjectNode root = json.createObjectNode();
    root.put("Service", "Amazon S3");
    root.put("Event", "s3:TestEvent");
    root.put("Time", EVENT_TIME.format(time));
    root.put("Bucket", bucket);
    root.put("RequestId", requestId);
    root.put("HostId", hostId);
    return root.toString();
  }

  /**
   * Encodes a key as S3 does in notifications: form encoding (space as {@code +}, {@code =} as
   * {@code %3D}, UTF-8 bytes as {@code %XX}) with {@code /} left as is.
   */
  public static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }
}
