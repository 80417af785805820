package dev.mbl.sql;

/**
 * A batch whose SQL cannot be built: the target table has no columns, a merge column is missing,
 * a value cannot be written as a literal, or the statements exceed the Data API's limits. The
 * message names the table and says how to fix it; it never contains row data or credentials.
 * Retrying the same batch with the same config fails the same way.
 */
public final class SqlBuildException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SqlBuildException(String message) {
    super(message);
  }

  public SqlBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
