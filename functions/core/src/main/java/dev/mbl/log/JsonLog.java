package dev.mbl.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.load.LoadEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes one JSON line per event with the same field names everywhere (level, action, table,
 * batch_id, statement_id, file_count, queue, message_id, detail). Used only at the boundaries:
 * the handlers and the local runtime.
 */
public final class JsonLog {
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();

  public JsonLog(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  public static JsonLog stdout() {
    return new JsonLog(System.out);
  }

  /** Logs a protocol event; failures and give-ups at WARN/ERROR, the rest at INFO. */
  public void event(String function, LoadEvent event, Instant now) {
    ObjectNode line = base(levelOf(event.action()), function, event.action(), now);
    if (event.table() != null) {
      line.put("table", event.table().toString());
    }
    putIfSet(line, "batch_id", event.batchId());
    putIfSet(line, "statement_id", event.statementId());
    if (event.files() > 0) {
      line.put("file_count", event.files());
    }
    putIfSet(line, "detail", event.detail());
    write(line);
  }

  /** Logs a problem with one message of a queue. */
  public void message(String function, String level, String action, String queue, String messageId, String detail,
      Instant now) {
    ObjectNode line = base(level, function, action, now);
    putIfSet(line, "queue", queue);
    putIfSet(line, "message_id", messageId);
    putIfSet(line, "detail", detail);
    write(line);
  }

  /** Logs a summary line with free-form counters. */
  public void summary(String function, String action, ObjectNode fields, Instant now) {
    ObjectNode line = base("INFO", function, action, now);
    line.setAll(fields);
    write(line);
  }

  /** Writes a line already formatted (an Embedded Metric Format line) as it is. */
  public void raw(String jsonLine) {
    synchronized (out) {
      out.println(jsonLine);
    }
  }

  public ObjectMapper mapper() {
    return json;
  }

  private ObjectNode base(String level, String function, String action, Instant now) {
    ObjectNode line = json.createObjectNode();
    line.put("time", now.toString());
    line.put("level", level);
    line.put("function", function);
    line.put("action", action);
    return line;
  }

  private void write(ObjectNode line) {
    synchronized (out) {
      out.println(line.toString());
    }
  }

  private static String levelOf(String action) {
    return switch (action) {
      case "quarantined", "error" -> "ERROR";
      case "retry", "split", "split-wait", "held", "diagnosing", "diagnosis-failed", "deferred", "rolled-back",
          "lock-lost", "submit-rejected", "submit-unknown", "forgotten", "version-unknown" -> "WARN";
      default -> "INFO";
    };
  }

  private static void putIfSet(ObjectNode line, String name, String value) {
    if (value != null) {
      line.put(name, value);
    }
  }
}
