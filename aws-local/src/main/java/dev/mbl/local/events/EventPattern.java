package dev.mbl.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The subset of EventBridge's event patterns the loader's rules use: exact values of
 * {@code source}, {@code detail-type} and {@code detail.state}, and a {@code {"prefix": ...}}
 * match on {@code detail.statementName}. An empty list or a null prefix leaves that field
 * unconstrained; a constrained field must be present and match, as in EventBridge.
 *
 * @param sources allowed {@code source} values; never null (null becomes empty)
 * @param detailTypes allowed {@code detail-type} values; never null
 * @param states allowed {@code detail.state} values; never null
 * @param statementNamePrefix required prefix of {@code detail.statementName}; null for any
 */
public record EventPattern(List<String> sources, List<String> detailTypes, List<String> states,
    String statementNamePrefix) {
  public EventPattern {
    sources = sources == null ? List.of() : List.copyOf(sources);
    detailTypes = detailTypes == null ? List.of() : List.copyOf(detailTypes);
    states = states == null ? List.of() : List.copyOf(states);
  }

  /** The pattern of the rule that routes Data API completions of statements named {@code prefix...}. */
  public static EventPattern dataApiCompletion(String statementNamePrefix) {
    return new EventPattern(List.of("aws.redshift-data"), List.of("Redshift Data Statement Status Change"),
        List.of("FINISHED", "FAILED", "ABORTED"), Objects.requireNonNull(statementNamePrefix, "statementNamePrefix"));
  }

  /** True when {@code event} (an EventBridge event as a JSON tree) matches every constrained field. */
  public boolean matches(JsonNode event) {
    JsonNode detail = event.path("detail");
    return oneOf(event.get("source"), sources)
        && oneOf(event.get("detail-type"), detailTypes)
        && oneOf(detail.get("state"), states)
        && (statementNamePrefix == null || hasPrefix(detail.get("statementName"), statementNamePrefix));
  }

  private static boolean oneOf(JsonNode value, List<String> allowed) {
    return allowed.isEmpty() || value != null && value.isTextual() && allowed.contains(value.asText());
  }

  private static boolean hasPrefix(JsonNode value, String prefix) {
    return value != null && value.isTextual() && value.asText().startsWith(prefix);
  }
}
