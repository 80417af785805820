package dev.mbl.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.health.Durations;
import dev.mbl.health.Health;
import dev.mbl.health.TableHealth;
import dev.mbl.health.TableSnapshot;
import dev.mbl.tracker.TableRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mbl status [TABLE]}: every table's health on one line; the exit code is the worst health's code. */
@Command(name = "status", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = {"Every table on one line: health, pending files, oldest pending age, running batch and its age, "
        + "last load, quarantined files, dead letters, and why.",
        "Exit code: 0 all OK, 1 worst is WARN, 2 worst is CRITICAL (252 usage, 254 AWS error, 255 other)."})
public final class StatusCommand extends OpsCommand {
  @Parameters(arity = "0..1", paramLabel = "TABLE", description = "Only this table (key, schema.table or table).")
  String table;

  @Override
  int run(OpsSession session) {
    Instant now = session.clock().instant();
    DeadLetters dlq = new DeadLetters(session);
    List<TableHealth> healths = table == null
        ? session.components().health().all(now, Duration.ofMinutes(1), dlq::depth)
        : List.of(one(session, session.table(table), now, dlq));
    if (json()) {
      out().println(toJson(healths, now));
    } else if (healths.isEmpty()) {
      out().println("no table is registered yet: a table registers when its first file arrives");
    } else {
      Table t = new Table("TABLE", "HEALTH", "PENDING", "OLDEST", "RUNNING", "LAST LOAD", "QUARANTINED", "DLQ",
          "REASON");
      for (TableHealth h : healths) {
        TableSnapshot s = h.snapshot();
        t.row(s.table(), h.health(), s.pending() >= dev.mbl.health.HealthReader.WORK_LIMIT ? s.pending() + "+"
            : s.pending(), s.pending() == 0 ? "-" : Durations.age(s.oldestPendingArrival(), now),
            running(s, now), s.lastLoadedAt() == null ? "-" : Durations.age(s.lastLoadedAt(), now) + " ago",
            s.quarantined(), s.dlqDepth(), h.reason() + (h.action().equals("none") ? "" : " -> " + h.action()));
      }
      t.print(out());
    }
    out().flush();
    return healths.stream().map(TableHealth::health).reduce(Health.OK, Health::worse).code();
  }

  static TableHealth one(OpsSession session, TableRegistration registration, Instant now, DeadLetters dlq) {
    return session.components().health().one(registration, now, Duration.ofMinutes(1), dlq::depth);
  }

  private static String running(TableSnapshot s, Instant now) {
    if (s.lock() == null) {
      return "-";
    }
    Instant since = s.runningBatch() != null ? s.runningBatch().createdAt() : s.lock().checkedAt();
    return s.lock().batchId() + " " + s.lock().phase() + " " + Durations.age(since, now);
  }

  static String toJson(List<TableHealth> healths, Instant now) {
    ObjectMapper json = new ObjectMapper();
    ArrayNode tables = json.createArrayNode();
    for (TableHealth h : healths) {
      TableSnapshot s = h.snapshot();
      ObjectNode row = tables.addObject();
      row.put("table", s.table().toString());
      row.put("health", h.health().name());
      row.put("reason", h.reason());
      row.put("action", h.action());
      row.put("pending", s.pending());
      row.put("oldest_pending_seconds", s.oldestPendingAge(now).getSeconds());
      if (s.lock() != null) {
        row.put("running_batch", s.lock().batchId());
        row.put("running_phase", s.lock().phase().name());
        row.put("lease_until", s.lock().leaseUntil().toString());
      }
      if (s.lastLoadedAt() != null) {
        row.put("last_loaded_at", s.lastLoadedAt().toString());
      }
      row.put("quarantined", s.quarantined());
      if (s.dlqDepth() != null) {
        row.put("dead_letters", s.dlqDepth());
      }
      ArrayNode findings = row.putArray("findings");
      h.findings().forEach(f -> findings.addObject().put("health", f.health().name()).put("reason", f.reason())
          .put("action", f.action()));
    }
    ObjectNode root = json.createObjectNode();
    root.set("tables", tables);
    return root.toPrettyString();
  }
}
