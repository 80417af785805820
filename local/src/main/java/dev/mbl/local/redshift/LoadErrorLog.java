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
 * The emulator's {@code stl_load_errors}: a table with Redshift's main columns and widths, written
 * on its own auto-committed connection so that rows describing a failed COPY survive the rollback
 * of the COPY's transaction, as they do on Redshift.
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

  private final DataSource dataSource;

  LoadErrorLog(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Creates the table if it is missing. */
  void create() throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(CREATE);
    }
  }

  /** Records {@code errors} of one COPY into the table with {@code tableOid}. */
  void record(long tableOid, int session, long query, Instant start, List<RowError> errors) throws SQLException {
    if (errors.isEmpty()) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      connection.setAutoCommit(true);
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
