package dev.mbl.local.redshift;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Reads a COPY file of JSON objects (one per line, or any white space between them) with
 * {@code JSON 'auto'}: each top-level key fills the column of the same name, exactly
 * ({@code 'auto'}: Redshift's column names are lower case) or ignoring case
 * ({@code 'auto ignorecase'}). Missing keys and JSON null load NULL; nested objects and arrays
 * load as JSON text. After malformed JSON the rest of the file cannot be read and the reader
 * reports one unreadable record.
 */
final class JsonReader implements Iterator<RawRecord> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonParser parser;
  private final List<TargetColumn> columns;
  private final boolean ignoreCase;
  private RawRecord next;
  private boolean done;

  JsonReader(String text, List<TargetColumn> columns, boolean ignoreCase) {
    try {
      this.parser = MAPPER.createParser(text);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read JSON text", e);
    }
    this.columns = columns;
    this.ignoreCase = ignoreCase;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = read();
    }
    return next != null;
  }

  @Override
  public RawRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RawRecord record = next;
    next = null;
    return record;
  }

  private RawRecord read() {
    long line = parser.currentLocation().getLineNr();
    try {
      JsonToken token = parser.nextToken();
      if (token == null) {
        done = true;
        return null;
      }
      line = parser.currentTokenLocation().getLineNr();
      if (token != JsonToken.START_OBJECT) {
        done = true;
        return RawRecord.unreadable(line, parser.getText(), 1224, "Invalid JSONPath format: Member is not an object.");
      }
      JsonNode object = MAPPER.readTree(parser);
      return new RawRecord(line, object.toString(), fields(object), null);
    } catch (IOException malformed) {
      done = true;
      String reason = malformed.getMessage() == null ? "Invalid JSON" : malformed.getMessage().lines().findFirst()
          .orElse("Invalid JSON");
      return RawRecord.unreadable(line, "", 1224, "Invalid JSON object: " + reason);
    }
  }

  private List<String> fields(JsonNode object) {
    Map<String, JsonNode> byName = ignoreCase ? new TreeMap<>(String.CASE_INSENSITIVE_ORDER) : new TreeMap<>();
    object.properties().forEach(e -> byName.putIfAbsent(e.getKey(), e.getValue()));
    List<String> fields = new ArrayList<>(columns.size());
    for (TargetColumn column : columns) {
      JsonNode value = byName.get(ignoreCase ? column.name().toLowerCase(Locale.ROOT) : column.name());
      if (value == null || value.isNull()) {
        fields.add(null);
      } else if (column.kind() == TargetColumn.Kind.JSON || value.isContainerNode()) {
        fields.add(value.toString());
      } else {
        fields.add(value.asText());
      }
    }
    return fields;
  }
}
