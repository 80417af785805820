package dev.mbl.local.redshift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mbl.local.redshift.CopyCommand.Flag;
import dev.mbl.local.redshift.CopyCommand.Format;
import dev.mbl.local.redshift.RowError.Problem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Converts one field of a COPY from text to the value JDBC binds for its column, applying the
 * COPY's NULL AS, EMPTYASNULL, BLANKSASNULL, TRIMBLANKS, TRUNCATECOLUMNS, ROUNDEC, ACCEPTINVCHARS,
 * ACCEPTANYDATE, TIMEFORMAT and DATEFORMAT the way Redshift does. A value Redshift would reject
 * raises a {@link Problem} with Redshift's load error code and reason. Pure and thread-safe.
 */
final class ValueConverter {
  /** What a decoder put where the file had bytes that are not UTF-8. */
  static final char INVALID = '\uFFFD';
  private static final Set<String> TRUE = Set.of("t", "true", "1", "y", "yes", "on");
  private static final Set<String> FALSE = Set.of("f", "false", "0", "n", "no", "off");
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final CopyCommand copy;

  ValueConverter(CopyCommand copy) {
    this.copy = copy;
  }

  /** The value to bind for {@code text} ({@code null} meaning a missing value). */
  Object convert(TargetColumn column, String text) {
    Object value = text == null ? null : convertPresent(column, text);
    if (value == null && column.notNull()) {
      throw new Problem(1213, "Missing data for not-null field");
    }
    return value;
  }

  private Object convertPresent(TargetColumn column, String raw) {
    String text = validUtf8(raw);
    if (copy.nullAs() != null && text.equals(copy.nullAs())) {
      return null;
    }
    TargetColumn.Kind kind = column.kind();
    if (kind == TargetColumn.Kind.CHAR) {
      return characters(column, text);
    }
    if (text.isBlank()) {
      return null; // Redshift loads empty and blank fields of non-character columns as NULL
    }
    String value = text.strip();
    return switch (kind) {
      case INT2 -> integer(value, Short.MIN_VALUE, Short.MAX_VALUE, "Short").shortValue();
      case INT4 -> integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "Integer").intValue();
      case INT8 -> integer(value, Long.MIN_VALUE, Long.MAX_VALUE, "Long");
      case NUMERIC -> decimal(column, value);
      case FLOAT4 -> (float) floating(value, "Float");
      case FLOAT8 -> floating(value, "Double");
      case BOOL -> bool(value);
      case DATE -> date(value);
      case TIMESTAMP -> LocalDateTime.ofInstant(timestamp(value), ZoneOffset.UTC);
      case TIMESTAMPTZ -> OffsetDateTime.ofInstant(timestamp(value), ZoneOffset.UTC);
      case JSON -> json(text);
      case BYTES -> bytes(value);
      default -> text;
    };
  }

  private String validUtf8(String text) {
    if (text.indexOf(INVALID) < 0) {
      return text;
    }
    if (copy.replacement() == null) {
      throw new Problem(1220, "String contains invalid or unsupported UTF8 codepoints");
    }
    return text.replace(INVALID, copy.replacement());
  }

  private String characters(TargetColumn column, String text) {
    if ((copy.has(Flag.EMPTYASNULL) && text.isEmpty()) || (copy.has(Flag.BLANKSASNULL) && text.isBlank())) {
      return null;
    }
    String value = copy.has(Flag.TRIMBLANKS) ? text.stripTrailing() : text;
    int max = column.maxBytes();
    if (max >= 0 && value.getBytes(StandardCharsets.UTF_8).length > max) {
      if (!copy.has(Flag.TRUNCATECOLUMNS)) {
        throw new Problem(1204, "String length exceeds DDL length");
      }
      value = truncate(value, max);
    }
    return value;
  }

  /** The longest prefix of {@code value} of at most {@code maxBytes} UTF-8 bytes. */
  static String truncate(String value, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < value.length()) {
      int codePoint = value.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      i += Character.charCount(codePoint);
    }
    return value.substring(0, i);
  }

  private static Long integer(String value, long min, long max, String type) {
    int bad = badDigit(value, false);
    if (bad >= 0) {
      throw new Problem(1207, "Invalid digit, Value '" + value.charAt(bad) + "', Pos " + bad + ", Type: " + type);
    }
    try {
      long parsed = Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
      if (parsed < min || parsed > max) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new Problem(1204, "Overflow, " + value + " (" + type + " valid range " + min + " to " + max + ")");
    }
  }

  private BigDecimal decimal(TargetColumn column, String value) {
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(value);
    } catch (NumberFormatException e) {
      int bad = Math.max(badDigit(value, true), 0);
      throw new Problem(1207, "Invalid digit, Value '" + (value.isEmpty() ? "" : value.charAt(bad)) + "', Pos "
          + bad + ", Type: Decimal");
    }
    if (column.precision() < 0) {
      return parsed;
    }
    BigDecimal scaled = parsed.setScale(column.scale(), copy.has(Flag.ROUNDEC) ? RoundingMode.HALF_UP
        : RoundingMode.DOWN);
    if (scaled.precision() - scaled.scale() > column.precision() - column.scale()) {
      throw new Problem(1204, "Numeric data overflow (result precision)");
    }
    return scaled;
  }

  private static double floating(String value, String type) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      int bad = Math.max(badDigit(value, true), 0);
      throw new Problem(1208, "Invalid digit, Value '" + (value.isEmpty() ? "" : value.charAt(bad)) + "', Pos "
          + bad + ", Type: " + type);
    }
  }

  /** The position of the first character that cannot be in a number, or -1. */
  private static int badDigit(String value, boolean fraction) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean sign = i == 0 && (c == '-' || c == '+');
      boolean decimal = fraction && (c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+');
      if (!(c >= '0' && c <= '9') && !sign && !decimal) {
        return i;
      }
    }
    return value.isEmpty() || (value.length() == 1 && !Character.isDigit(value.charAt(0))) ? 0 : -1;
  }

  private static Boolean bool(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (TRUE.contains(lower)) {
      return Boolean.TRUE;
    }
    if (FALSE.contains(lower)) {
      return Boolean.FALSE;
    }
    throw new Problem(1210, "Invalid Boolean value '" + value + "'");
  }

  private Object date(String value) {
    try {
      return DateTimes.date(value, copy.dateFormat());
    } catch (IllegalArgumentException e) {
      if (copy.has(Flag.ACCEPTANYDATE)) {
        return null;
      }
      throw new Problem(1205, "Invalid Date Format - " + e.getMessage());
    }
  }

  private Instant timestamp(String value) {
    try {
      return DateTimes.timestamp(value, copy.timeFormat());
    } catch (IllegalArgumentException e) {
      throw new Problem(1206, "Invalid timestamp format or value [" + (copy.timeFormat() == null
          ? "YYYY-MM-DD HH24:MI:SS" : copy.timeFormat()) + "]");
    }
  }

  /** JSON files give JSON text; other formats give plain text, which becomes a JSON string unless it is JSON. */
  private String json(String text) {
    try {
      JSON.readTree(text);
      return text;
    } catch (JsonProcessingException e) {
      if (copy.format() == Format.JSON) {
        throw new Problem(1224, "Invalid JSON value");
      }
      return new TextNode(text).toString();
    }
  }

  private static byte[] bytes(String value) {
    try {
      return HexFormat.of().parseHex(value);
    } catch (IllegalArgumentException e) {
      throw new Problem(1219, "Invalid hexadecimal value for VARBYTE");
    }
  }
}
