package dev.mbl.local.redshift;

/**
 * One bad row of a COPY, as a row of Redshift's {@code stl_load_errors}.
 *
 * @param lineNumber the line of the file where the row starts (1-based)
 * @param column the column the error is about, empty when it is about the whole row
 * @param code Redshift's load error code (1202 extra column, 1204 too long, 1207 invalid digit, ...)
 */
record RowError(String filename, long lineNumber, String rawLine, String column, String type, String columnLength,
    String rawValue, int code, String reason) {

  /** A problem with one value, before the file and line are known. */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    Problem(int code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }
  }
}
