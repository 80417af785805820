package dev.mbl.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.config.TableConfig;
import dev.mbl.event.StatementState;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.TableRegistration;
import dev.mbl.tracker.WorkItem;
import dev.mbl.warehouse.DataApiWarehouse;
import dev.mbl.warehouse.StatementStatus;
import dev.mbl.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mbl file s3://bucket/key}: where a file stands and, if quarantined, Redshift's failing rows. */
@Command(name = "file", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = {"Where one file stands in every table it feeds: state, batch, attempts, reason.",
        "For a quarantined file also the failing rows from Redshift's SYS_LOAD_ERROR_DETAIL when the warehouse "
            + "is reachable. Exit code 1 when no table knows the file."})
public final class FileCommand extends OpsCommand {
  static final Duration QUERY_WAIT = Duration.ofSeconds(60);

  @Parameters(paramLabel = "S3_URL", description = "s3://bucket/key")
  String url;

  @Override
  int run(OpsSession session) throws InterruptedException {
    if (!url.startsWith("s3://") || url.indexOf('/', 5) < 0) {
      throw new UsageException("'" + url + "' is not an s3://bucket/key URL");
    }
    List<ObjectNode> found = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (TableRegistration table : session.components().tracker().registrations()) {
      List<LedgerEntry> entries = session.components().tracker().ledgerEntries(table.table()).stream()
          .filter(e -> e.url().equals(url)).toList();
      List<WorkItem> work = entries.isEmpty() ? List.of() : session.components().tracker().work(table.table());
      for (LedgerEntry entry : entries) {
        ObjectNode node = entryJson(json, entry);
        work.stream().filter(w -> w.fileId().equals(entry.fileId())).findFirst().ifPresent(w -> {
          node.put("attempts", w.attempts());
          if (w.notBeforeMillis() > 0) {
            node.put("not_before", Instant.ofEpochMilli(w.notBeforeMillis()).toString());
          }
        });
        if (entry.state() == FileState.QUARANTINED) {
          failingRows(session, table, json).ifPresent(rows -> node.set("failing_rows", rows));
        }
        found.add(node);
      }
    }
    if (json()) {
      out().println(json.valueToTree(found).toPrettyString());
    } else if (found.isEmpty()) {
      out().println(url + " is in no table's ledger (never arrived, or its record expired)");
    } else {
      for (ObjectNode node : found) {
        node.fields().forEachRemaining(f -> {
          if (!f.getKey().equals("failing_rows")) {
            out().printf("%-14s %s%n", f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue());
          }
        });
        if (node.has("failing_rows")) {
          Table rows = new Table("LINE", "COLUMN", "TYPE", "POS", "ERROR");
          node.get("failing_rows").forEach(r -> rows.row(r.path("line_number").asText(), r.path("column_name").asText(),
              r.path("column_type").asText(), r.path("position").asText(), r.path("error_message").asText()));
          out().println("failing rows (SYS_LOAD_ERROR_DETAIL):");
          rows.print(out());
        }
        out().println();
      }
    }
    out().flush();
    return found.isEmpty() ? PARTIAL : OK;
  }

  /** Runs the reason's query through the Data API; empty when the warehouse cannot be asked. */
  private Optional<ArrayNode> failingRows(OpsSession session, TableRegistration table, ObjectMapper json)
      throws InterruptedException {
    try {
      TableConfig config = session.components().configs().load(table.config());
      Warehouse warehouse = new DataApiWarehouse(session.clients().redshiftData());
      String sql = "SELECT line_number, TRIM(column_name) AS column_name, TRIM(column_type) AS column_type, position, "
          + "TRIM(error_message) AS error_message FROM sys_load_error_detail WHERE TRIM(file_name) = '"
          + url.replace("'", "''") + "' ORDER BY start_time DESC LIMIT 20";
      String id = warehouse.submitQuery(config.target(), sql, "mbl-cli/file",
          java.util.UUID.randomUUID().toString());
      Instant deadline = Instant.now().plus(QUERY_WAIT);
      while (Instant.now().isBefore(deadline)) {
        Optional<StatementStatus> status = warehouse.describe(id);
        if (status.isPresent() && status.get().state() == StatementState.FINISHED) {
          ArrayNode rows = json.createArrayNode();
          for (Map<String, String> row : warehouse.results(id)) {
            rows.add(json.valueToTree(row));
          }
          return Optional.of(rows);
        }
        if (status.isPresent() && status.get().state().terminal()) {
          spec.commandLine().getErr().println("failing rows not read: " + status.get().error());
          return Optional.empty();
        }
        Thread.sleep(200);
      }
      return Optional.empty();
    } catch (RuntimeException unreachable) {
      spec.commandLine().getErr().println("failing rows not read (warehouse not reachable): " + unreachable.getMessage());
      return Optional.empty();
    }
  }

  static ObjectNode entryJson(ObjectMapper json, LedgerEntry e) {
    ObjectNode node = json.createObjectNode();
    node.put("table", e.table().toString());
    node.put("file", e.url());
    node.put("state", e.state().name());
    node.put("version", e.versionToken());
    node.put("size", e.size());
    node.put("arrived_at", e.arrivedAt().toString());
    if (e.settledAt() != null) {
      node.put("settled_at", e.settledAt().toString());
    }
    if (e.batchId() != null) {
      node.put("batch", e.batchId());
    }
    if (e.reason() != null) {
      node.put("reason", e.reason());
    }
    return node;
  }

  static String toJson(List<LedgerEntry> entries) {
    ObjectMapper json = new ObjectMapper();
    ArrayNode array = json.createArrayNode();
    entries.forEach(e -> array.add(entryJson(json, e)));
    return array.toPrettyString();
  }
}
