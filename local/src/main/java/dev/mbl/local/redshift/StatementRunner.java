package dev.mbl.local.redshift;

import dev.mbl.event.StatementState;
import dev.mbl.local.redshift.SqlTranslator.Translation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;

/**
 * Runs one statement or batch on PostgreSQL as one SERIALIZABLE transaction on a session of its
 * own (so temporary tables end with it, as with the Data API), records each sub-statement's
 * outcome, and sends the status event when the request asked for one. PostgreSQL's errors are
 * reported in Redshift's words where mbl reads them: a serialization failure becomes
 * "ERROR: 1023 ... Serializable isolation violation".
 */
final class StatementRunner {
  private final DataSource dataSource;
  private final CopyLoader copyLoader;
  private final StatusEvents events;
  private final Consumer<String> eventSink;
  private final AtomicLong queryIds = new AtomicLong(100_000);

  StatementRunner(DataSource dataSource, CopyLoader copyLoader, StatusEvents events, Consumer<String> eventSink) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.copyLoader = Objects.requireNonNull(copyLoader, "copyLoader");
    this.events = Objects.requireNonNull(events, "events");
    this.eventSink = Objects.requireNonNull(eventSink, "eventSink");
  }

  /** Runs {@code statement} to its end (unless it was cancelled before it started). */
  void run(Statement statement) {
    if (!statement.pick()) {
      return;
    }
    int current = -1;
    List<String> sqls = statement.request().sqls();
    boolean ended = false;
    try (Connection connection = dataSource.getConnection()) {
      if (!statement.start(backendPid(connection))) {
        return;
      }
      try (java.sql.Statement zone = connection.createStatement()) {
        zone.execute("SET TIME ZONE 'UTC'"); // Redshift sessions run in UTC whatever the JVM's zone
      }
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      try {
        for (current = 0; current < sqls.size(); current++) {
          long queryId = queryIds.incrementAndGet();
          if (!statement.startSub(current, queryId)) {
            throw new CopyLoader.CopyCancelledException();
          }
          runOne(connection, statement, current, queryId,
              SqlParameters.bind(sqls.get(current), statement.request().parameters()));
        }
        current = sqls.size() - 1;
        connection.commit();
        ended = statement.end(StatementState.FINISHED, -1, null);
      } catch (SQLException | RuntimeException failure) {
        rollback(connection);
        ended = end(statement, current, failure);
      }
    } catch (SQLException | RuntimeException noSession) {
      ended |= end(statement, current, noSession);
    }
    if (ended) {
      notify(statement);
    }
  }

  /** Sends the status event of an ended statement when its request asked for one. */
  void notify(Statement statement) {
    if (statement.request().withEvent() && statement.status().terminal()) {
      try {
        eventSink.accept(events.event(statement.view()));
      } catch (RuntimeException e) {
        System.err.println("{\"level\":\"WARN\",\"component\":\"DataApiEmulator\",\"statementId\":\""
            + statement.id() + "\",\"message\":\"the status event consumer failed: " + e.getClass().getName() + "\"}");
      }
    }
  }

  private void runOne(Connection connection, Statement statement, int index, long queryId, String sql)
      throws SQLException {
    Translation translation = SqlTranslator.translate(sql);
    if (translation instanceof SqlTranslator.Copy copy) {
      long rows = copyLoader.run(connection, copy.command(), queryId, statement::cancelRequested);
      statement.finishSub(index, rows, null);
    } else if (translation instanceof SqlTranslator.Sql plain) {
      try (java.sql.Statement jdbc = connection.createStatement()) {
        statement.running(jdbc);
        if (statement.cancelRequested()) {
          throw new CopyLoader.CopyCancelledException();
        }
        if (jdbc.execute(plain.sql())) {
          try (ResultSet results = jdbc.getResultSet()) {
            ResultTable table = ResultTable.read(results);
            statement.finishSub(index, table.rows().size(), table);
          }
        } else {
          statement.finishSub(index, Math.max(0, jdbc.getUpdateCount()), null);
        }
      }
    } else {
      statement.finishSub(index, 0, null);
    }
  }

  private static boolean end(Statement statement, int index, Exception failure) {
    if (statement.cancelRequested() || failure instanceof CopyLoader.CopyCancelledException) {
      return statement.end(StatementState.ABORTED, index, null);
    }
    return statement.end(StatementState.FAILED, index, errorText(failure));
  }

  /** The error text Redshift would report for {@code failure}. */
  static String errorText(Exception failure) {
    if (failure instanceof SQLException sql) {
      return sqlErrorText(sql);
    }
    if (failure instanceof CopyFailedException || failure instanceof UnsupportedSqlException
        || failure instanceof DataApiException) {
      return "ERROR: " + failure.getMessage();
    }
    return "ERROR: internal error of the local Data API emulator: " + failure;
  }

  private static String sqlErrorText(SQLException failure) {
    SQLException root = failure;
    for (SQLException next = failure; next != null; next = next.getNextException()) {
      if (next instanceof PSQLException) {
        root = next;
        break;
      }
    }
    String state = root.getSQLState() == null ? "" : root.getSQLState();
    String message = root instanceof PSQLException psql && psql.getServerErrorMessage() != null
        ? psql.getServerErrorMessage().getMessage() : root.getMessage();
    String constraint = root instanceof PSQLException psql && psql.getServerErrorMessage() != null
        ? psql.getServerErrorMessage().getConstraint() : null;
    boolean catalogRace = state.equals("23505") && constraint != null && constraint.startsWith("pg_");
    if (state.equals("40001") || catalogRace) {
      // Concurrent DDL on one name collides in PostgreSQL's catalog; Redshift serializes it the same way.
      return "ERROR: 1023 DETAIL: Serializable isolation violation on table - a concurrent transaction "
          + "conflicts with this one (PostgreSQL: " + message + ")";
    }
    return "ERROR: " + message;
  }

  private static long backendPid(Connection connection) throws SQLException {
    try (java.sql.Statement query = connection.createStatement();
        ResultSet row = query.executeQuery("SELECT pg_backend_pid()")) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is closed next, which rolls back anyway
    }
  }
}
