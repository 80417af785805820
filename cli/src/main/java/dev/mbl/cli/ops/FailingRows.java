package dev.mbl.cli.ops;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.event.StatementState;
import dev.mbl.warehouse.StatementStatus;
import dev.mbl.warehouse.Warehouse;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The rows Redshift rejected from one file: the quarantine reason's query on SYS_LOAD_ERROR_DETAIL
 * (the columns that view documents), run through the Data API and waited for.
 */
final class FailingRows {
  static final Duration WAIT = Duration.ofSeconds(60);

  private FailingRows() {}

  /** Empty when the warehouse cannot be asked; the reason goes to {@code err}. */
  static Optional<List<Map<String, String>>> of(Warehouse warehouse, WarehouseTarget target, String url,
      PrintWriter err) throws InterruptedException {
    return of(warehouse, target, url, null, err);
  }

  /**
   * @param queryId only the rows of this COPY (the view's query_id, which is the Data API's
   *     RedshiftQueryId of the COPY sub-statement); null for every load of the file
   */
  static Optional<List<Map<String, String>>> of(Warehouse warehouse, WarehouseTarget target, String url,
      Long queryId, PrintWriter err) throws InterruptedException {
    try {
      String sql = "SELECT line_number, TRIM(column_name) AS column_name, TRIM(column_type) AS column_type, position, "
          + "TRIM(error_message) AS error_message FROM sys_load_error_detail WHERE TRIM(file_name) = '"
          + url.replace("'", "''") + "'" + (queryId == null ? "" : " AND query_id = " + queryId)
          + " ORDER BY start_time DESC LIMIT 20";
      String id = warehouse.submitQuery(target, sql, "mbl-cli/failing-rows", UUID.randomUUID().toString());
      Instant deadline = Instant.now().plus(WAIT);
      while (Instant.now().isBefore(deadline)) {
        Optional<StatementStatus> status = warehouse.describe(id);
        if (status.isPresent() && status.get().state() == StatementState.FINISHED) {
          return Optional.of(warehouse.results(id));
        }
        if (status.isPresent() && status.get().state().terminal()) {
          err.println("failing rows not read: " + status.get().error());
          return Optional.empty();
        }
        Thread.sleep(200);
      }
      err.println("failing rows not read: the query did not end within " + WAIT);
      return Optional.empty();
    } catch (RuntimeException unreachable) {
      err.println("failing rows not read (warehouse not reachable): " + unreachable.getMessage());
      return Optional.empty();
    }
  }

  static void print(List<Map<String, String>> rows, PrintWriter out) {
    Table table = new Table("LINE", "COLUMN", "TYPE", "POS", "ERROR");
    rows.forEach(r -> table.row(r.get("line_number"), r.get("column_name"), r.get("column_type"), r.get("position"),
        r.get("error_message")));
    out.println("failing rows (SYS_LOAD_ERROR_DETAIL):");
    table.print(out);
  }
}
