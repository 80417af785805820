package dev.mbl.sql;

/**
 * The one place that turns a Java string into a SQL string literal.
 *
 * <p>Single quotes are doubled. Backslashes are rejected rather than escaped: Redshift reads a
 * backslash in a plain literal as an escape character while PostgreSQL (with its default
 * {@code standard_conforming_strings}) does not, so no spelling means the same text on both and a
 * trailing backslash could end the literal early on one of them. NUL and control characters other
 * than tab are rejected too.
 */
public final class SqlLiteral {
  private SqlLiteral() {}

  /**
   * Returns {@code value} in single quotes, safe to paste into SQL on Redshift and PostgreSQL.
   *
   * @param value never null
   * @throws IllegalArgumentException naming the position of the first character that cannot be
   *     written (the value itself is not echoed)
   */
  public static String quote(String value) {
    if (value == null) {
      throw new IllegalArgumentException("string literal is missing");
    }
    StringBuilder sql = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\') {
        throw new IllegalArgumentException("contains a backslash at position " + i
            + ", which Redshift and PostgreSQL read differently in a string literal: remove it");
      }
      if (Character.isISOControl(c) && c != '\t') {
        throw new IllegalArgumentException(String.format(
            "contains control character U+%04X at position %d: remove it", (int) c, i));
      }
      sql.append(c);
      if (c == '\'') {
        sql.append('\'');
      }
    }
    return sql.append('\'').toString();
  }
}
