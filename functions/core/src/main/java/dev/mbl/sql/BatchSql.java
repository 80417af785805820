package dev.mbl.sql;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The statements of one batch, in order, to run as one transaction through the Data API's
 * {@code BatchExecuteStatement}. Immutable; never empty once built by {@link BatchSqlBuilder}.
 */
public record BatchSql(List<String> statements) {
  public BatchSql {
    statements = List.copyOf(statements);
  }

  /** The UTF-8 size of all statements together, as the Data API counts it against its limit. */
  public int totalBytes() {
    return totalBytes(statements);
  }

  static int totalBytes(List<String> statements) {
    int bytes = 0;
    for (String statement : statements) {
      bytes += statement.getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes;
  }
}
