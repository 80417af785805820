package dev.mbl.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads NextLoader's input: an EventBridge "Redshift Data Statement Status Change" event, an
 * EventBridge "Scheduled Event", or the manual invocation {@code {"action":"reconcile"}}.
 * Stateless and thread-safe.
 */
public final class NextLoaderInputParser {
  static final String SCHEDULED_DETAIL_TYPE = "Scheduled Event";
  static final String SCHEDULED_SOURCE = "aws.events";
  static final String RECONCILE_ACTION = "reconcile";
  private static final String INPUT = "NextLoader input";
  private static final String EVENT = "the Redshift Data status change event";
  private static final String EXPECTED = "expected a '" + StatementEvent.DETAIL_TYPE + "' event from "
      + StatementEvent.SOURCE + ", a '" + SCHEDULED_DETAIL_TYPE + "' from " + SCHEDULED_SOURCE
      + ", or {\"action\":\"" + RECONCILE_ACTION + "\"}";

  private final ObjectMapper mapper;

  /** @param mapper reads the JSON; only its tree model is used; not null */
  public NextLoaderInputParser(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** A parser with a default {@link ObjectMapper}. */
  public static NextLoaderInputParser create() {
    return new NextLoaderInputParser(new ObjectMapper());
  }

  /**
   * Reads one NextLoader invocation.
   *
   * @param json the invocation payload as UTF-8 JSON; null or empty is malformed
   * @return a {@link NextLoaderInput.StatusChange} or a {@link NextLoaderInput.Reconcile}
   * @throws MalformedEventException for any other input, naming what was expected
   */
  public NextLoaderInput parse(byte[] json) {
    JsonNode root = Json.readObject(mapper, json, INPUT);
    if (root.has("action")) {
      String action = Json.text(root, "action");
      if (!RECONCILE_ACTION.equals(action)) {
        throw new MalformedEventException("the manual invocation has action "
            + Json.excerpt(action == null ? root.get("action").toString() : action)
            + "; the only supported action is '" + RECONCILE_ACTION + "'");
      }
      return new NextLoaderInput.Reconcile("manual");
    }
    String detailType = Json.text(root, "detail-type");
    String source = Json.text(root, "source");
    if (detailType == null && source == null) {
      throw new MalformedEventException(INPUT + " has an unknown shape with fields "
          + Json.fieldNames(root) + "; " + EXPECTED);
    }
    if (StatementEvent.DETAIL_TYPE.equals(detailType) && StatementEvent.SOURCE.equals(source)) {
      return new NextLoaderInput.StatusChange(statementEvent(root));
    }
    if (SCHEDULED_DETAIL_TYPE.equals(detailType) && SCHEDULED_SOURCE.equals(source)) {
      JsonNode resources = root.get("resources");
      String rule = resources != null && resources.isArray() && resources.size() > 0
          && resources.get(0).isTextual() ? resources.get(0).asText() : null;
      return new NextLoaderInput.Reconcile(rule == null ? "schedule" : "schedule " + rule);
    }
    throw new MalformedEventException(INPUT + " is an event with detail-type " + Json.excerpt(detailType)
        + " from source " + Json.excerpt(source) + "; " + EXPECTED
        + "; check the EventBridge rules that target NextLoader");
  }

  /**
   * Reads one "Redshift Data Statement Status Change" event.
   *
   * @param json the event as UTF-8 JSON; null or empty is malformed
   * @throws MalformedEventException when it is not such an event, lacks the statement id, or
   *     carries a state that is not terminal
   */
  public StatementEvent parseStatementEvent(byte[] json) {
    JsonNode root = Json.readObject(mapper, json, EVENT);
    String detailType = Json.text(root, "detail-type");
    String source = Json.text(root, "source");
    if (!StatementEvent.DETAIL_TYPE.equals(detailType) || !StatementEvent.SOURCE.equals(source)) {
      throw new MalformedEventException(EVENT + " has detail-type " + Json.excerpt(detailType)
          + " and source " + Json.excerpt(source) + "; expected '" + StatementEvent.DETAIL_TYPE
          + "' from " + StatementEvent.SOURCE);
    }
    return statementEvent(root);
  }

  private static StatementEvent statementEvent(JsonNode root) {
    String eventId = Json.text(root, "id");
    if (eventId == null || eventId.isEmpty()) {
      throw new MalformedEventException(EVENT + " has no id");
    }
    String where = EVENT + " " + eventId;
    JsonNode detail = Json.object(root, "detail");
    if (detail == null) {
      throw new MalformedEventException(where + " has no detail object");
    }
    String statementId = Json.text(detail, "statementId");
    if (statementId == null || statementId.isEmpty()) {
      throw new MalformedEventException(where + " has no detail.statementId");
    }
    String stateText = Json.text(detail, "state");
    StatementState state = StatementState.fromApi(stateText)
        .filter(StatementState::terminal)
        .orElseThrow(() -> new MalformedEventException(where + " has detail.state "
            + Json.excerpt(stateText) + "; expected FINISHED, FAILED or ABORTED"));
    return new StatementEvent(eventId, time(root, where), resources(root),
        Json.text(detail, "principal"), Json.text(detail, "statementName"), statementId,
        whole(detail, "redshiftQueryId", where), state, whole(detail, "rows", where),
        expireAt(detail, where));
  }

  private static Instant time(JsonNode root, String where) {
    String time = Json.text(root, "time");
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException(where + " has a time that is not ISO-8601 UTC: "
          + Json.excerpt(time));
    }
  }

  private static List<String> resources(JsonNode root) {
    List<String> resources = new ArrayList<>();
    JsonNode node = root.get("resources");
    if (node != null && node.isArray()) {
      node.forEach(r -> {
        if (r.isTextual()) {
          resources.add(r.asText());
        }
      });
    }
    return resources;
  }

  /** A whole number field of the detail; -1 when absent or null, as the Data API uses for unknown. */
  private static long whole(JsonNode detail, String field, String where) {
    JsonNode value = detail.get(field);
    if (value == null || value.isNull()) {
      return -1;
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new MalformedEventException(where + " has detail." + field + " "
          + Json.excerpt(value.toString()) + ", which is not a whole number");
    }
    return value.asLong();
  }

  private static Instant expireAt(JsonNode detail, String where) {
    long seconds = whole(detail, "expireAt", where);
    return seconds < 0 ? null : Instant.ofEpochSecond(seconds);
  }
}
