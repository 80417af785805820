package dev.mbl.local.redshift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The emulator's {@code stl_load_errors} (Redshift's main columns and widths) and
 * {@code sys_load_error_detail} (exactly the columns "SYS_LOAD_ERROR_DETAIL" documents, which has
 * no raw_line or raw_field_value), written on their own auto-committed connection so that rows
 * describing a failed COPY survive the rollback of the COPY's transaction, as they do on Redshift.
 * Serverless has no STL views; {@link StatementRunner} refuses them there.
 */
final class LoadErrorLog {
  static final String TABLE = "stl_load_errors";
  static final String CREATE = "CREATE TABLE IF NOT EXISTS public." + TABLE + " (userid integer, slice integer, "
      + "tbl integer, starttime timestamp, session integer, query integer, filename varchar(256), "
      + "line_number bigint, colname varchar(127), type varchar(10), col_length varchar(10), position integer, "
      + "raw_line varchar(1024), raw_field_value varchar(1024), err_code integer, err_reason varchar(100))";
  private static final String INSERT = "INSERT INTO public." + TABLE + " (userid, slice, tbl, starttime, session, "
      + "query, filename, line_number, colname, type, col_length, position, raw_line, raw_field_value, err_code, "
      + "err_reason) VALUES (100, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)";

  static final String SYS_TABLE = "sys_load_error_detail";
  static final String CREATE_SYS = "CREATE TABLE IF NOT EXISTS public." + SYS_TABLE + " (user_id integer, "
      + "query_id bigint, transaction_id bigint, session_id integer, database_name character(64), table_id integer, "
      + "start_time timestamp, file_name character(256), line_number bigint, column_name character(127), "
      + "column_type character(10), column_length character(10), position integer, error_code integer, "
      + "error_message character(512))";
  private static final String INSERT_SYS = "INSERT INTO public." + SYS_TABLE + " (user_id, query_id, "
      + "transaction_id, session_id, database_name, table_id, start_time, file_name, line_number, column_name, "
      + "column_type, column_length, position, error_code, error_message) "
      + "VALUES (100, ?, ?, ?, current_database(), ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";

  private final DataSource dataSource;

  LoadErrorLog(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Creates the table if it is missing. */
  void create() throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(CREATE);
      statement.execute(CREATE_SYS);
    }
  }

  /** Records {@code errors} of one COPY into the table with {@code tableOid}. */
  void record(long tableOid, int session, long transaction, long query, Instant start, List<RowError> errors)
      throws SQLException {
    if (errors.isEmpty()) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(INSERT);
        PreparedStatement sys = connection.prepareStatement(INSERT_SYS)) {
      connection.setAutoCommit(true);
      for (RowError error : errors) {
        sys.setLong(1, query);
        sys.setLong(2, transaction);
        sys.setInt(3, session);
        sys.setLong(4, tableOid);
        sys.setObject(5, LocalDateTime.ofInstant(start, ZoneOffset.UTC));
        sys.setString(6, cut(error.filename(), 256));
        sys.setLong(7, error.lineNumber());
        sys.setString(8, cut(error.column(), 127));
        sys.setString(9, cut(error.type(), 10));
        sys.setString(10, cut(error.columnLength(), 10));
        sys.setInt(11, error.code());
        sys.setString(12, cut(error.reason(), 512));
        sys.addBatch();
      }
      sys.executeBatch();
      for (RowError error : errors) {
        insert.setLong(1, tableOid);
        insert.setObject(2, LocalDateTime.ofInstant(start, ZoneOffset.UTC));
        insert.setInt(3, session);
        insert.setLong(4, query);
        insert.setString(5, cut(error.filename(), 256));
        insert.setLong(6, error.lineNumber());
        insert.setString(7, cut(error.column(), 127));
        insert.setString(8, cut(error.type(), 10));
        insert.setString(9, cut(error.columnLength(), 10));
        insert.setString(10, cut(error.rawLine(), 1024));
        insert.setString(11, cut(error.rawValue(), 1024));
        insert.setInt(12, error.code());
        insert.setString(13, cut(error.reason(), 100));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** At most {@code max} characters, without NUL (which PostgreSQL text cannot hold). */
  private static String cut(String value, int max) {
    if (value == null) {
      return "";
    }
    String clean = value.replace('\u0000', ' ');
    return clean.length() <= max ? clean : clean.substring(0, max);
  }
}
