package dev.mbl.local.redshift;

import dev.mbl.local.latency.Latency;
import dev.mbl.local.redshift.SqlTranslator.Translation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;

/**
 * Runs one statement or batch on PostgreSQL as one SERIALIZABLE transaction on a session of its
 * own (so temporary tables end with it, as with the Data API), records each sub-statement's
 * outcome, and sends the status event when the request asked for one. PostgreSQL's errors are
 * reported in Redshift's words where mbl reads them: a serialization failure becomes
 * "ERROR: 1023 ... Serializable isolation violation", a statement_timeout or cancel "Query (N)
 * cancelled on user's request", an explicit IDENTITY value "cannot set an identity column to a
 * value". It also enforces the session rules of {@link TransactionRules} (transaction blocks,
 * TRUNCATE's commit, no STL views on Serverless) and follows enable_case_sensitive_identifier.
 *
 * <p>With a latency profile it also takes Redshift's time: {@code queueing} while PICKED, then,
 * while STARTED, {@code copy} plus the scan of its input per COPY and {@code transaction} per
 * commit, so the statement's Duration includes them.
 */
final class StatementRunner {
  private final DataSource dataSource;
  private final CopyLoader copyLoader;
  private final StatusEvents events;
  private final Consumer<String> eventSink;
  private final TestSwitches switches;
  private final Latency latency;
  private final AtomicLong queryIds = new AtomicLong(100_000);

  StatementRunner(DataSource dataSource, CopyLoader copyLoader, StatusEvents events, Consumer<String> eventSink,
      TestSwitches switches, Latency latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.copyLoader = Objects.requireNonNull(copyLoader, "copyLoader");
    this.events = Objects.requireNonNull(events, "events");
    this.eventSink = Objects.requireNonNull(eventSink, "eventSink");
    this.switches = Objects.requireNonNull(switches, "switches");
  }

  /** What one session has set so far: the settings the emulator itself acts on. */
  private static final class Session {
    boolean caseSensitive;
    long timeoutMillis;
  }

  /** Runs {@code statement} to its end (unless it was cancelled before it started). */
  void run(Statement statement) {
    if (!statement.pick()) {
      return;
    }
    latency.queueing();
    int current = -1;
    List<String> sqls = statement.request().sqls();
    boolean ended = false;
    try (Connection connection = dataSource.getConnection()) {
      if (!statement.start(backendPid(connection))) {
        return;
      }
      switches.awaitRelease(statement::cancelRequested);
      try (java.sql.Statement zone = connection.createStatement()) {
        zone.execute("SET TIME ZONE 'UTC'"); // Redshift sessions run in UTC whatever the JVM's zone
      }
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      Session session = new Session();
      try {
        for (current = 0; current < sqls.size(); current++) {
          long queryId = queryIds.incrementAndGet();
          if (!statement.startSub(current, queryId)) {
            throw new CopyLoader.CopyCancelledException();
          }
          try {
            runOne(connection, statement, current, queryId,
                SqlParameters.bind(sqls.get(current), statement.request().parameters()), session);
          } catch (SQLException | RuntimeException failure) {
            throw new SubFailure(failure, queryId);
          }
        }
        current = sqls.size() - 1;
        commit(connection, statement);
        ended = statement.end(StatementStatus.FINISHED, -1, null);
      } catch (SubFailure failure) {
        rollback(connection);
        ended = end(statement, current, failure.getCause(), failure.queryId);
      } catch (SQLException | RuntimeException failure) {
        rollback(connection);
        ended = end(statement, current, failure, 0);
      }
    } catch (SQLException | RuntimeException noSession) {
      ended |= end(statement, current, noSession, 0);
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

  private void runOne(Connection connection, Statement statement, int index, long queryId, String sql,
      Session session) throws SQLException {
    SubmitRequest request = statement.request();
    if (request.batch()) {
      Optional<String> restricted = TransactionRules.notInTransactionBlock(sql);
      if (restricted.isPresent()) {
        throw new UnsupportedSqlException(TransactionRules.notInTransactionBlockError(restricted.get()));
      }
    }
    if (request.workgroupName() != null) {
      Optional<String> view = TransactionRules.systemView(sql);
      if (view.isPresent()) {
        // "System monitoring (provisioned only)": Serverless has no STL/STV/SVCS/SVL views. AWS
        // publishes no error text; Redshift Serverless answers permission denied.
        throw new UnsupportedSqlException("permission denied for relation " + view.get());
      }
    }
    TransactionRules.statementTimeout(sql).ifPresent(millis -> session.timeoutMillis = millis);
    Translation translation = SqlTranslator.translate(sql, session.caseSensitive);
    if (translation instanceof SqlTranslator.Copy copy) {
      long deadline = session.timeoutMillis > 0 ? System.nanoTime() + session.timeoutMillis * 1_000_000 : 0;
      CopyLoader.Loaded loaded = copyLoader.run(connection, copy.command(), queryId, () -> {
        if (deadline != 0 && System.nanoTime() > deadline) {
          throw new TimedOutException();
        }
        return statement.cancelRequested();
      });
      latency.copy(loaded.inputBytes());
      if (statement.cancelRequested()) {
        throw new CopyLoader.CopyCancelledException();
      }
      statement.finishSub(index, loaded.rows(), null);
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
      if (TransactionRules.commits(sql)) {
        commit(connection, statement); // "TRUNCATE": it commits the transaction it runs in
      }
    } else if (translation instanceof SqlTranslator.CaseSensitivity setting) {
      session.caseSensitive = setting.caseSensitive();
      statement.finishSub(index, 0, null);
    } else {
      statement.finishSub(index, 0, null);
    }
  }

  /** Commits, first taking the transaction's fixed cost; a cancel during it aborts instead. */
  private void commit(Connection connection, Statement statement) throws SQLException {
    latency.transaction();
    if (statement.cancelRequested()) {
      throw new CopyLoader.CopyCancelledException();
    }
    connection.commit();
  }

  /** A sub-statement's failure with the query id it ran as. */
  private static final class SubFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long queryId;

    SubFailure(Exception cause, long queryId) {
      super(cause);
      this.queryId = queryId;
    }
  }

  /** A COPY that ran past the session's statement_timeout. */
  static final class TimedOutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimedOutException() {
      super("statement timeout");
    }
  }

  private static boolean end(Statement statement, int index, Throwable failure, long queryId) {
    if (statement.cancelRequested() || failure instanceof CopyLoader.CopyCancelledException) {
      return statement.end(StatementStatus.ABORTED, index, cancelled(queryId));
    }
    return statement.end(StatementStatus.FAILED, index, errorText(failure, queryId));
  }

  /**
   * Redshift's text for a cancelled or timed-out query, as "statement_timeout" shows it
   * (the document spells it "cancelled").
   */
  static String cancelled(long queryId) {
    return "ERROR: Query (" + queryId + ") cancelled on user's request";
  }

  /** The error text Redshift would report for {@code failure} of query {@code queryId}. */
  static String errorText(Throwable failure, long queryId) {
    if (failure instanceof SQLException sql) {
      String state = rootState(sql);
      if (state.equals("57014")) {
        return cancelled(queryId); // PostgreSQL's statement_timeout
      }
      return sqlErrorText(sql);
    }
    if (failure instanceof TimedOutException) {
      return cancelled(queryId);
    }
    if (failure instanceof CopyFailedException || failure instanceof UnsupportedSqlException
        || failure instanceof DataApiException) {
      return "ERROR: " + failure.getMessage();
    }
    return "ERROR: internal error of the local Data API emulator: " + failure;
  }

  private static String rootState(SQLException failure) {
    for (SQLException next = failure; next != null; next = next.getNextException()) {
      if (next instanceof PSQLException) {
        return next.getSQLState() == null ? "" : next.getSQLState();
      }
    }
    return failure.getSQLState() == null ? "" : failure.getSQLState();
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
    if (state.equals("428C9")) {
      // PostgreSQL's GENERATED ALWAYS refusal; Redshift's words for an explicit IDENTITY value.
      return "ERROR: cannot set an identity column to a value";
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
