package dev.mbl.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small, pure helpers shared by the event parsers: reading trees and quoting safely. */
final class Json {
  /** The longest excerpt of an input that may appear in an error message. */
  static final int MAX_EXCERPT = 80;

  private Json() {}

  /** Reads {@code content} as one JSON object; {@code what} names the input in error messages. */
  static JsonNode readObject(ObjectMapper mapper, String content, String what) {
    if (content == null || content.isBlank()) {
      throw new MalformedEventException(what + " is empty; expected a JSON object");
    }
    JsonNode node;
    try {
      node = mapper.readTree(content);
    } catch (JsonProcessingException e) {
      throw notJson(what, content, e);
    }
    return requireObject(node, what, content);
  }

  /** As {@link #readObject(ObjectMapper, String, String)}, for UTF-8 bytes. */
  static JsonNode readObject(ObjectMapper mapper, byte[] content, String what) {
    return readObject(mapper, content == null ? null : new String(content, StandardCharsets.UTF_8), what);
  }

  private static JsonNode requireObject(JsonNode node, String what, String content) {
    if (node == null || !node.isObject()) {
      throw new MalformedEventException(what + " is JSON but not an object (starts with "
          + excerpt(content) + "); expected a JSON object");
    }
    return node;
  }

  private static MalformedEventException notJson(String what, String content, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
    // getOriginalMessage() leaves out Jackson's source excerpt; our own excerpt is bounded.
    return new MalformedEventException(what + " is not JSON" + where + " ("
        + excerpt(e.getOriginalMessage()) + "); it starts with " + excerpt(content));
  }

  /** The text of {@code field}, or null when absent, null or not a string. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** The text at a path of fields, or null when any step is missing. */
  static String textAt(JsonNode node, String... path) {
    JsonNode current = node;
    for (int i = 0; i < path.length - 1 && current != null; i++) {
      current = current.get(path[i]);
    }
    return text(current, path[path.length - 1]);
  }

  /** The object at a path of fields, or null when any step is missing or not an object. */
  static JsonNode object(JsonNode node, String... path) {
    JsonNode current = node;
    for (String field : path) {
      current = current == null ? null : current.get(field);
    }
    return current != null && current.isObject() ? current : null;
  }

  /** {@code value} quoted and cut to at most {@link #MAX_EXCERPT} characters. */
  static String excerpt(String value) {
    if (value == null) {
      return "null";
    }
    String flat = value.replaceAll("\\s+", " ").strip();
    int room = MAX_EXCERPT - 2;
    if (flat.length() > room) {
      flat = flat.substring(0, room - 3) + "...";
    }
    return "'" + flat + "'";
  }

  /** The first few field names of an object, to describe a shape nobody expected. */
  static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    String listed = names.size() > 8 ? String.join(", ", names.subList(0, 8)) + ", ..."
        : String.join(", ", names);
    return excerpt("{" + listed + "}");
  }
}
