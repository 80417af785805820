package dev.mbl.sql;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated SQL identifier (schema, table or column name) that quotes itself.
 *
 * <p>Redshift folds unquoted identifiers to lower case, so the value is normalised to lower case
 * and always emitted quoted. Only plain identifiers are accepted (a letter or underscore, then
 * letters, digits, underscores or dollar signs, at most 127 bytes); anything else, including
 * quotes, spaces and semicolons, is rejected so that no identifier can change the statement it
 * appears in.
 */
public record Identifier(String value) {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]{0,126}");

  /** Validates and normalises {@code value}; never null. */
  public Identifier {
    if (value == null) {
      throw new IllegalArgumentException("identifier is missing: give a name such as 'orders'");
    }
    String folded = value.toLowerCase(Locale.ROOT);
    if (!PLAIN.matcher(folded).matches()) {
      throw new IllegalArgumentException("identifier '" + printable(value)
          + "' is not allowed: use a letter or underscore, then letters, digits, '_' or '$' "
          + "(at most 127 characters)");
    }
    value = folded;
  }

  public static Identifier of(String value) {
    return new Identifier(value);
  }

  /** The identifier in double quotes, safe to paste into SQL. */
  public String quoted() {
    return '"' + value + '"';
  }

  @Override
  public String toString() {
    return value;
  }

  static String printable(String raw) {
    String cut = raw.length() > 80 ? raw.substring(0, 80) + "..." : raw;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
