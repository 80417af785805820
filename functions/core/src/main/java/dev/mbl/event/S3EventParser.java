package dev.mbl.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parses one SQS message body that announces S3 objects. Stateless and thread-safe.
 *
 * <p>Accepted shapes:
 * <ul>
 *   <li>an S3 event notification {@code {"Records":[...]}}: records whose {@code eventName} starts
 *       with {@code ObjectCreated:} become objects, other events are ignored with a reason; keys
 *       are URL-decoded ({@code +} is a space, then {@code %XX} as UTF-8);</li>
 *   <li>the same notification inside an SNS envelope ({@code "Type":"Notification"}, the S3 JSON
 *       as the {@code Message} string), as SNS delivers to SQS without raw delivery;</li>
 *   <li>an EventBridge event from {@code aws.s3}: "Object Created" becomes an object (its key is
 *       not URL-encoded and is taken as is), other detail types are ignored with a reason;</li>
 *   <li>{@code s3:TestEvent}, directly or inside SNS: no objects, one ignored reason.</li>
 * </ul>
 * Anything else throws {@link MalformedEventException}.
 */
public final class S3EventParser {
  private static final String S3_NOTIFICATION = "the S3 notification";
  private static final String CREATED_PREFIX = "ObjectCreated:";
  private static final String BODY = "SQS message body";

  private final ObjectMapper mapper;

  /** @param mapper reads the JSON; only its tree model is used; not null */
  public S3EventParser(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** A parser with a default {@link ObjectMapper}. */
  public static S3EventParser create() {
    return new S3EventParser(new ObjectMapper());
  }

  /**
   * Parses one SQS message body.
   *
   * @param body the message body; null or blank is malformed
   * @return the created objects and the reasons for skipped records; never null
   * @throws MalformedEventException when the body is not one of the accepted shapes
   */
  public ParsedMessage parse(String body) {
    JsonNode root = Json.readObject(mapper, body, BODY);
    if (isSnsEnvelope(root)) {
      return parseSns(root);
    }
    return parseUnwrapped(root, "");
  }

  private static boolean isSnsEnvelope(JsonNode root) {
    return root.has("Type") && (root.has("Message") || root.has("TopicArn"));
  }

  private ParsedMessage parseSns(JsonNode envelope) {
    String type = Json.text(envelope, "Type");
    if (!"Notification".equals(type)) {
      throw new MalformedEventException("the SNS envelope has Type " + Json.excerpt(type)
          + ", expected 'Notification'; only SNS notifications carry S3 events");
    }
    String message = Json.text(envelope, "Message");
    if (message == null) {
      throw new MalformedEventException("the SNS envelope has no Message string");
    }
    JsonNode inner = Json.readObject(mapper, message, "the SNS envelope's Message");
    return parseUnwrapped(inner, " inside the SNS envelope");
  }

  private ParsedMessage parseUnwrapped(JsonNode root, String where) {
    if (root.has("Records")) {
      return parseNotification(root.get("Records"), where);
    }
    if ("s3:TestEvent".equals(Json.text(root, "Event"))) {
      String bucket = Json.text(root, "Bucket");
      return new ParsedMessage(List.of(), List.of("s3:TestEvent for bucket "
          + (bucket == null ? "(unnamed)" : bucket) + where
          + " only confirms the notification configuration; it names no object"));
    }
    if (where.isEmpty() && "aws.s3".equals(Json.text(root, "source"))) {
      return parseEventBridge(root);
    }
    throw new MalformedEventException("the " + (where.isEmpty() ? BODY : "message" + where)
        + " has an unknown shape with fields " + Json.fieldNames(root) + "; expected an S3"
        + " notification {\"Records\":[...]}, an s3:TestEvent"
        + (where.isEmpty() ? ", an SNS envelope of one, or an EventBridge event from aws.s3" : ""));
  }

  private static ParsedMessage parseNotification(JsonNode records, String where) {
    String what = S3_NOTIFICATION + where;
    if (!records.isArray()) {
      throw new MalformedEventException("Records of " + what + " is not an array");
    }
    List<S3ObjectRef> objects = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      String record = "record " + (i + 1) + " of " + what;
      JsonNode r = records.get(i);
      if (!r.isObject()) {
        throw new MalformedEventException(record + " is not an object");
      }
      String source = Json.text(r, "eventSource");
      if (!"aws:s3".equals(source)) {
        throw new MalformedEventException(record + " has eventSource " + Json.excerpt(source)
            + ", expected 'aws:s3'; check what publishes to this queue");
      }
      String eventName = Json.text(r, "eventName");
      if (eventName == null || eventName.isEmpty()) {
        throw new MalformedEventException(record + " has no eventName");
      }
      String bucket = Json.textAt(r, "s3", "bucket", "name");
      String rawKey = Json.textAt(r, "s3", "object", "key");
      if (!eventName.startsWith(CREATED_PREFIX)) {
        ignored.add(eventName + " on " + url(bucket, rawKey == null ? null : decodeOrRaw(rawKey))
            + " is not a create event");
        continue;
      }
      requirePresent(bucket, record, "s3.bucket.name");
      requirePresent(rawKey, record, "s3.object.key");
      String key = decode(rawKey, record);
      JsonNode object = Json.object(r, "s3", "object");
      long size = size(object.get("size"), record, "s3.object.size", bucket, key);
      objects.add(new S3ObjectRef(bucket, key, size, Json.text(object, "eTag"),
          Json.text(object, "versionId"), Json.text(object, "sequencer")));
    }
    return new ParsedMessage(objects, ignored);
  }

  private static ParsedMessage parseEventBridge(JsonNode root) {
    String what = "the EventBridge aws.s3 event";
    String detailType = Json.text(root, "detail-type");
    if (detailType == null || detailType.isEmpty()) {
      throw new MalformedEventException(what + " has no detail-type");
    }
    JsonNode detail = Json.object(root, "detail");
    if (detail == null) {
      throw new MalformedEventException(what + " has no detail object");
    }
    String bucket = Json.textAt(detail, "bucket", "name");
    String key = Json.textAt(detail, "object", "key");
    if (!"Object Created".equals(detailType)) {
      return new ParsedMessage(List.of(), List.of(detailType + " on " + url(bucket, key)
          + " is not a create event"));
    }
    requirePresent(bucket, what, "detail.bucket.name");
    requirePresent(key, what, "detail.object.key");
    JsonNode object = Json.object(detail, "object");
    long size = size(object.get("size"), what, "detail.object.size", bucket, key);
    return new ParsedMessage(List.of(new S3ObjectRef(bucket, key, size, Json.text(object, "etag"),
        Json.text(object, "version-id"), Json.text(object, "sequencer"))), List.of());
  }

  private static void requirePresent(String value, String where, String field) {
    if (value == null || value.isEmpty()) {
      throw new MalformedEventException(where + " has no " + field);
    }
  }

  /** Absent size means "not said" (0); anything but a whole number >= 0 is malformed. */
  private static long size(JsonNode size, String where, String field, String bucket, String key) {
    if (size == null || size.isNull()) {
      return 0;
    }
    if (!size.canConvertToExactIntegral() || !size.canConvertToLong()) {
      throw new MalformedEventException(where + " has " + field + " " + Json.excerpt(size.toString())
          + ", which is not a whole number of bytes");
    }
    long value = size.asLong();
    if (value < 0) {
      throw new MalformedEventException(where + " has a negative " + field + " " + value
          + " for " + Json.excerpt(url(bucket, key)));
    }
    return value;
  }

  /** S3 notification keys are form-encoded: {@code +} is a space, {@code %XX} is a UTF-8 byte. */
  private static String decode(String rawKey, String where) {
    try {
      return URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException(where + " has an s3.object.key that is not valid URL"
          + " encoding: " + Json.excerpt(rawKey));
    }
  }

  private static String decodeOrRaw(String rawKey) {
    try {
      return URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return rawKey;
    }
  }

  private static String url(String bucket, String key) {
    return "s3://" + (bucket == null ? "?" : bucket) + "/" + (key == null ? "?" : key);
  }
}
