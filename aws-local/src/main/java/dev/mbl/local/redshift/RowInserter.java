package dev.mbl.local.redshift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;

/**
 * Inserts converted COPY rows in JDBC batches inside the COPY's transaction. A batch PostgreSQL
 * rejects (a constraint or a type the converter passes through as text) is rolled back to a
 * savepoint and retried row by row, so that only the bad rows become load errors and the
 * transaction stays usable. Errors that must end the transaction (serialization failures,
 * deadlocks, cancellation, lost connections) are rethrown.
 */
final class RowInserter implements AutoCloseable {
  private static final int BATCH = 1_000;
  private static final Set<String> FATAL_STATES = Set.of("40001", "40P01", "57014", "25P02");

  /** One row to insert and where it came from, for its error. */
  record Row(Object[] values, RawRecord record, String filename) {}

  private final Connection connection;
  private final PreparedStatement insert;
  private final List<Row> pending = new ArrayList<>();
  private final Consumer<RowError> errors;
  private long inserted;

  /** @param overriding whether an IDENTITY column is loaded (COPY ... EXPLICIT_IDS) */
  RowInserter(Connection connection, String table, List<TargetColumn> columns, Consumer<RowError> errors,
      boolean overriding) throws SQLException {
    this.connection = connection;
    this.errors = errors;
    String names = columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    String values = columns.stream().map(RowInserter::placeholder).collect(Collectors.joining(", "));
    this.insert = connection.prepareStatement("INSERT INTO " + table + " (" + names + ")"
        + (overriding ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES (" + values + ")");
  }

  /** Queues a row; inserts a batch when enough are queued. */
  void add(Row row) throws SQLException {
    pending.add(row);
    if (pending.size() >= BATCH) {
      flush();
    }
  }

  /** Inserts what is queued; returns how many rows were inserted in all. */
  long flush() throws SQLException {
    if (pending.isEmpty()) {
      return inserted;
    }
    Savepoint savepoint = connection.setSavepoint();
    try {
      for (Row row : pending) {
        bind(row);
        insert.addBatch();
      }
      insert.executeBatch();
      connection.releaseSavepoint(savepoint);
      inserted += pending.size();
    } catch (SQLException batch) {
      rethrowIfFatal(batch);
      connection.rollback(savepoint);
      insert.clearBatch();
      pending.forEach(this::insertAlone);
    }
    pending.clear();
    return inserted;
  }

  private void insertAlone(Row row) {
    try {
      Savepoint savepoint = connection.setSavepoint();
      try {
        bind(row);
        insert.executeUpdate();
        connection.releaseSavepoint(savepoint);
        inserted++;
      } catch (SQLException rejected) {
        rethrowIfFatal(rejected);
        connection.rollback(savepoint);
        errors.accept(error(row, rejected));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void bind(Row row) throws SQLException {
    for (int i = 0; i < row.values().length; i++) {
      insert.setObject(i + 1, row.values()[i]);
    }
  }

  private static RowError error(Row row, SQLException rejected) {
    String column = "";
    String reason = rejected.getMessage();
    if (rejected instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      column = psql.getServerErrorMessage().getColumn() == null ? "" : psql.getServerErrorMessage().getColumn();
      reason = psql.getServerErrorMessage().getMessage();
    }
    int code = switch (String.valueOf(rejected.getSQLState())) {
      case "23502" -> 1213;
      case "22001", "22003" -> 1204;
      case "22P02" -> 1207;
      case "22007", "22008" -> 1206;
      default -> 1216;
    };
    return new RowError(row.filename(), row.record().line(), row.record().raw(), column, "", "", "", code, reason);
  }

  /** Errors that doom the whole transaction are not row errors. */
  private static void rethrowIfFatal(SQLException e) throws SQLException {
    for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
      String state = cause.getSQLState();
      if (state != null && (FATAL_STATES.contains(state) || state.startsWith("08"))) {
        throw cause;
      }
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String placeholder(TargetColumn column) {
    return switch (column.kind()) {
      case JSON, OTHER -> "CAST(? AS " + column.sqlType() + ")";
      default -> "?";
    };
  }

  @Override
  public void close() throws SQLException {
    insert.close();
  }
}
