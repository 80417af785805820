package dev.mbl.sql;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated SQL identifier (schema, table or column name) that quotes itself.
 *
 * <p>The value is any name Redshift allows ("Names and identifiers"): 1 to 127 bytes of UTF-8,
 * no control characters; spaces, double quotes, mixed case and multibyte characters are fine,
 * because the identifier is always emitted as a delimited identifier with every {@code "}
 * doubled, so no name can change the statement it appears in. The value is kept exactly as
 * given: a column name as {@code DescribeTable} reports it is the name as stored.
 *
 * <p>{@link #of} is the stricter form for names mbl writes itself or takes as keys (schemas,
 * tables, databases): a plain name folded to lower case, as Redshift folds it by default.
 */
public record Identifier(String value) {
  /** Redshift truncates longer names; mbl rejects them instead of loading into a different name. */
  public static final int MAX_BYTES = 127;
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]{0,126}");

  /** Validates {@code value} as any name Redshift allows; never null. */
  public Identifier {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("identifier is missing: give a name such as 'orders'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(String.format("identifier '%s' contains control character U+%04X at "
            + "position %d, which Redshift does not allow in a name: remove it", printable(value), (int) c, i));
      }
      if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(++i)))) {
        throw new IllegalArgumentException("identifier '" + printable(value) + "' is not valid UTF-16 text: "
            + "save the config as UTF-8");
      }
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException("identifier '" + printable(value) + "' is " + bytes
          + " bytes of UTF-8; Redshift names are at most " + MAX_BYTES + " bytes: shorten it");
    }
  }

  /**
   * A plain name, folded to lower case: a letter or underscore, then letters, digits, {@code _}
   * or {@code $}, at most 127 characters. Used for schema, table and database names, which mbl
   * also uses as keys.
   */
  public static Identifier of(String value) {
    if (value == null) {
      throw new IllegalArgumentException("identifier is missing: give a name such as 'orders'");
    }
    String folded = value.toLowerCase(Locale.ROOT);
    if (!PLAIN.matcher(folded).matches()) {
      throw new IllegalArgumentException("identifier '" + printable(value)
          + "' is not allowed: use a letter or underscore, then letters, digits, '_' or '$' "
          + "(at most 127 characters)");
    }
    return new Identifier(folded);
  }

  /** Any name Redshift allows, kept exactly as given (case, spaces, quotes, multibyte characters). */
  public static Identifier exact(String value) {
    return new Identifier(value);
  }

  /** The identifier in double quotes with every {@code "} doubled, safe to paste into SQL. */
  public String quoted() {
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  /**
   * Whether the two names are equal ignoring case, as Redshift compares them unless
   * {@code enable_case_sensitive_identifier} is on.
   */
  public boolean equalsIgnoreCase(Identifier other) {
    return value.toLowerCase(Locale.ROOT).equals(other.value.toLowerCase(Locale.ROOT));
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
