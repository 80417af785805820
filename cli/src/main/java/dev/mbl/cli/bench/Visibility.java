package dev.mbl.cli.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * When each batch became visible: polls every table's history table (one row per applied batch,
 * docs/merge-semantics.md) over JDBC every {@link #PERIOD} and records when each batch id was
 * first seen, so a file's rows are visible from the moment its batch's row is.
 */
final class Visibility implements AutoCloseable {
  static final Duration PERIOD = Duration.ofMillis(50);

  /** One applied batch: its table, file count and when the bench first saw it. */
  record Batch(BenchTable table, String batchId, int fileCount, Instant seen) {}

  private final DataSource warehouse;
  private final List<BenchTable> tables;
  private final Map<String, Batch> batches = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean running = true;
  private volatile SQLException failure;

  Visibility(DataSource warehouse, List<BenchTable> tables) {
    this.warehouse = warehouse;
    this.tables = List.copyOf(tables);
    this.poller = new Thread(this::poll, "bench-visibility");
    poller.setDaemon(true);
    poller.start();
  }

  /** Every batch seen so far. */
  List<Batch> batches() {
    return List.copyOf(batches.values());
  }

  Optional<Batch> batch(String batchId) {
    return Optional.ofNullable(batches.get(batchId));
  }

  /** Files of {@code table} in its applied batches so far. */
  int visibleFiles(BenchTable table) {
    return batches.values().stream().filter(b -> b.table().equals(table)).mapToInt(Batch::fileCount).sum();
  }

  /**
   * Waits until each table's applied batches hold at least its count of files; returns when the
   * last batch needed was first seen.
   *
   * @throws IllegalStateException when that does not happen by {@code deadline}
   */
  Instant awaitFiles(Map<BenchTable, Integer> files, Instant deadline) throws InterruptedException {
    while (true) {
      if (failure != null) {
        throw new IllegalStateException("bench: cannot read the history tables: " + failure.getMessage(), failure);
      }
      if (files.entrySet().stream().allMatch(e -> visibleFiles(e.getKey()) >= e.getValue())) {
        return batches.values().stream().map(Batch::seen).max(Instant::compareTo).orElseThrow();
      }
      if (Instant.now().isAfter(deadline)) {
        StringBuilder state = new StringBuilder();
        files.forEach((table, n) -> state.append(' ').append(table.name()).append(' ')
            .append(visibleFiles(table)).append('/').append(n));
        throw new IllegalStateException("bench: not every file was visible by the deadline (visible/sent:" + state
            + "); see the functions' log");
      }
      TimeUnit.MILLISECONDS.sleep(PERIOD.toMillis());
    }
  }

  private void poll() {
    try (Connection connection = warehouse.getConnection()) {
      connection.setAutoCommit(true);
      while (running) {
        for (BenchTable table : tables) {
          read(connection, table);
        }
        TimeUnit.MILLISECONDS.sleep(PERIOD.toMillis());
      }
    } catch (SQLException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read(Connection connection, BenchTable table) throws SQLException {
    // A row in this query's snapshot committed before the query began: the tightest bound we have.
    Instant now = Instant.now();
    try (Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT batch_id, file_count FROM " + table.history())) {
      while (rows.next()) {
        String id = rows.getString(1);
        int files = rows.getInt(2);
        batches.computeIfAbsent(id, k -> new Batch(table, id, files, now));
      }
    } catch (SQLException e) {
      if (!"42P01".equals(e.getSQLState())) { // undefined_table: the table's first batch has not created it yet
        throw e;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      poller.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
