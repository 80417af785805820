package dev.mbl.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object by their JSON paths (for example
 * {@code $.options.merge_pk}), reporting wrong types, missing required fields and unknown fields
 * (with the closest known name) to {@link Problems} instead of stopping at the first one. A JSON
 * {@code null} counts as absent. Every getter returns null when the field is absent or unusable.
 */
final class JsonFields {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final JsonNode node;
  private final Problems problems;

  private JsonFields(JsonNode node, Problems problems) {
    this.node = node;
    this.problems = problems;
  }

  /**
   * The object at {@code path} whose fields may only be {@code known} (full paths), or null when
   * it is absent (a problem when {@code required}) or not an object.
   */
  static JsonFields object(JsonNode value, String path, List<String> known, boolean required, Problems problems) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      if (required) {
        problems.add(path, "missing", "add the \"" + name(path) + "\" object (see config-samples/orders.json)");
      }
      return null;
    }
    if (!value.isObject()) {
      problems.add(path, "expected an object but got " + kind(value), "write it as {\"field\": value, ...}");
      return null;
    }
    reportUnknown(value, path, known, problems);
    return new JsonFields(value, problems);
  }

  /** The raw value of a field, or null when absent or JSON null. */
  private JsonNode raw(String path) {
    JsonNode value = node.get(name(path));
    return value == null || value.isNull() ? null : value;
  }

  String text(String path, boolean required) {
    if (required && raw(path) == null) {
      problems.add(path, "missing", "add \"" + name(path) + "\" (see docs/configuration.md)");
      return null;
    }
    return typed(path, JsonNode::isTextual, "a string", "put the value in double quotes", JsonNode::textValue);
  }

  Boolean bool(String path) {
    return typed(path, JsonNode::isBoolean, "true or false", "write true or false without quotes",
        JsonNode::booleanValue);
  }

  Long whole(String path) {
    return typed(path, value -> value.isIntegralNumber() && value.canConvertToLong(), "a whole number",
        "write digits only, without quotes, a decimal point or an exponent", JsonNode::longValue);
  }

  private <T> T typed(String path, Predicate<JsonNode> accepted, String expected, String fix,
      Function<JsonNode, T> read) {
    JsonNode value = raw(path);
    if (value == null) {
      return null;
    }
    if (!accepted.test(value)) {
      problems.add(path, "expected " + expected + " but got " + kind(value), fix);
      return null;
    }
    return read.apply(value);
  }

  /** An array of strings, each with its own path ({@code path[i]}). */
  List<ConfigDocument.Item> texts(String path) {
    JsonNode value = raw(path);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      problems.add(path, "expected an array of strings but got " + kind(value),
          "write it as [\"...\", \"...\"]");
      return null;
    }
    List<ConfigDocument.Item> items = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String at = path + "[" + i + "]";
      if (element.isTextual()) {
        items.add(new ConfigDocument.Item(at, element.textValue()));
      } else {
        problems.add(at, "expected a string but got " + kind(element), "put the value in double quotes");
        ok = false;
      }
    }
    return ok ? items : null;
  }

  /** Column names: an array of strings or one string with names separated by commas. */
  List<ConfigDocument.Item> names(String path) {
    JsonNode value = raw(path);
    if (value == null || value.isArray()) {
      return texts(path);
    }
    String text = text(path, false);
    if (text == null) {
      return null;
    }
    List<ConfigDocument.Item> items = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      items.add(new ConfigDocument.Item(path, part.strip()));
    }
    return items;
  }

  /** Reports each field of {@code object} (at {@code path}) that is not one of {@code known} (full paths). */
  static void reportUnknown(JsonNode object, String path, List<String> known, Problems problems) {
    List<String> knownNames = known.stream().map(JsonFields::name).toList();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!knownNames.contains(field)) {
        problems.add(child(path, field), "unknown field '" + Problems.shown(field) + "'",
            "did you mean '" + closest(field, knownNames) + "'? Fields allowed in " + path + ": "
                + String.join(", ", knownNames));
      }
    }
  }

  /** The JSON path of a field, in bracket notation when the name is not a plain word. */
  static String child(String path, String field) {
    return PLAIN_NAME.matcher(field).matches()
        ? path + "." + field
        : path + "['" + Problems.shown(field).replace("'", "\\'") + "']";
  }

  /** The last segment of a path such as {@code $.options.merge_pk}. */
  static String name(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  static String kind(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isArray()) {
      return "an array";
    }
    return value.isObject() ? "an object" : "null";
  }

  /** The known name with the smallest edit distance to {@code field} (case-insensitive). */
  static String closest(String field, List<String> known) {
    String best = known.get(0);
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(field.toLowerCase(Locale.ROOT), candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
