package dev.mbl.load;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The diagnosis of a batch that failed with a COPY load error (docs/protocol.md, 7a): the query
 * of Redshift's load-error rows (SYS_LOAD_ERROR_DETAIL, which provisioned clusters and Serverless
 * both have), and what its rows say about the batch's files. Reads only the columns
 * "SYS_LOAD_ERROR_DETAIL" documents; that view has no raw_field_value, so the value is the one
 * Redshift quotes in its message ("Invalid digit, Value 'a', Pos 0, Type: Integer"). Pure: no I/O.
 */
public final class LoadErrorDiagnosis {
  /** How far before the batch's creation the query looks, for clock skew between Lambda and Redshift. */
  static final Duration SLACK = Duration.ofMinutes(10);
  /** Rows read at most; a COPY that fails logs a few per slice. */
  static final int MAX_ROWS = 1000;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final java.util.regex.Pattern QUOTED_VALUE = java.util.regex.Pattern.compile("Value '([^']*)'");

  /** One load-error row of a file of the batch. Nullable: lineNumber, column, type, position. */
  public record FileError(String url, String lineNumber, String column, String type, String position,
      String message) {
    public FileError {
      Objects.requireNonNull(url, "url");
      message = message == null ? "" : message.strip();
    }

    /** The value Redshift quotes in its message; null when it quotes none. */
    public String value() {
      java.util.regex.Matcher m = QUOTED_VALUE.matcher(message);
      return m.find() ? m.group(1) : null;
    }
  }

  private LoadErrorDiagnosis() {}

  /**
   * The query: rows since the batch was created (less {@link #SLACK}) whose file name starts with
   * the batch's common URL prefix, newest first. The prefix is cut before the first character
   * that would need quoting or is a LIKE wildcard other than '_', so the literal needs no escaping
   * (an '_' only widens the match); the exact files are picked in Java by {@link #fileErrors}.
   */
  public static String sql(Instant batchCreatedAt, Collection<String> urls) {
    return "SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name, "
        + "TRIM(column_type) AS column_type, position, TRIM(error_message) AS error_message "
        + "FROM sys_load_error_detail WHERE start_time >= '" + TIMESTAMP.format(batchCreatedAt.minus(SLACK))
        + "' AND file_name LIKE '" + safePrefix(urls) + "%' ORDER BY start_time DESC LIMIT " + MAX_ROWS;
  }

  /** The longest common prefix of the URLs, cut at the first character outside [A-Za-z0-9/._:=-]. */
  static String safePrefix(Collection<String> urls) {
    String common = null;
    for (String url : urls) {
      if (common == null) {
        common = url;
      } else {
        int i = 0;
        while (i < common.length() && i < url.length() && common.charAt(i) == url.charAt(i)) {
          i++;
        }
        common = common.substring(0, i);
      }
    }
    if (common == null) {
      return "s3://";
    }
    int end = 0;
    while (end < common.length() && safe(common.charAt(end))) {
      end++;
    }
    return common.substring(0, end);
  }

  private static boolean safe(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "/._:=-".indexOf(c) >= 0;
  }

  /**
   * The first row (newest, as the query orders them) of each file of the batch that the rows name;
   * rows of other files are ignored. File names are compared trimmed (the column is CHAR(256)).
   */
  public static Map<String, FileError> fileErrors(List<Map<String, String>> rows, Set<String> batchUrls) {
    Map<String, FileError> byUrl = new LinkedHashMap<>();
    for (Map<String, String> row : rows) {
      String file = row.get("file_name") == null ? null : row.get("file_name").strip();
      if (file != null && batchUrls.contains(file) && !byUrl.containsKey(file)) {
        byUrl.put(file, new FileError(file, strip(row.get("line_number")), strip(row.get("column_name")),
            strip(row.get("column_type")), strip(row.get("position")), row.get("error_message")));
      }
    }
    return byUrl;
  }

  /** The quarantine reason of a file the diagnosis named. */
  public static String reason(TableKey table, FileError error, String batchError) {
    String type = error.type() == null || error.type().isEmpty() ? "" : " (" + error.type() + ")";
    String value = error.value() == null ? "value not quoted by Redshift" : "value '" + error.value() + "'";
    return "Redshift could not load " + error.url() + " into " + table.table() + ": line "
        + (error.lineNumber() == null ? "?" : error.lineNumber()) + ", column "
        + (error.column() == null || error.column().isEmpty() ? "?" : error.column()) + type + ", " + value + ": "
        + error.message() + " (batch error: " + batchError + ")" + failingRowsQuery(error.url());
  }

  /** The query an operator runs to see a file's failing rows; works on provisioned clusters and Serverless. */
  public static String failingRowsQuery(String url) {
    return " Failing rows: SELECT line_number, TRIM(column_name) AS column_name, TRIM(column_type) AS column_type,"
        + " position, TRIM(error_message) AS error_message, start_time FROM sys_load_error_detail"
        + " WHERE TRIM(file_name) = '" + url.replace("'", "''") + "' ORDER BY start_time DESC;";
  }

  private static String strip(String value) {
    return value == null ? null : value.strip();
  }
}
