package dev.mbl.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.config.TableConfig;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.TableRegistration;
import dev.mbl.tracker.WorkItem;
import dev.mbl.warehouse.DataApiWarehouse;
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
          FailingRows.print(json.convertValue(node.get("failing_rows"),
              new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, String>>>() {}), out());
        }
        out().println();
      }
    }
    out().flush();
    return found.isEmpty() ? PARTIAL : OK;
  }

  /** The reason's query through the Data API; empty when the warehouse cannot be asked. */
  private Optional<ArrayNode> failingRows(OpsSession session, TableRegistration table, ObjectMapper json)
      throws InterruptedException {
    TableConfig config;
    try {
      config = session.components().configs().load(table.config());
    } catch (RuntimeException unreadable) {
      spec.commandLine().getErr().println("failing rows not read (config unreadable): " + unreadable.getMessage());
      return Optional.empty();
    }
    return FailingRows.of(new DataApiWarehouse(session.clients().redshiftData()), config.target(), url,
        spec.commandLine().getErr()).map(rows -> json.valueToTree(rows));
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
