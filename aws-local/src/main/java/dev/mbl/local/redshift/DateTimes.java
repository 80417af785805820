package dev.mbl.local.redshift;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * Reads dates and timestamps the way COPY does with TIMEFORMAT / DATEFORMAT: {@code 'auto'} (and
 * no format) accepts ISO-8601 with a space or {@code T}, optional fractions and offsets;
 * {@code 'epochsecs'} and {@code 'epochmillisecs'} read numbers; anything else is a Redshift
 * format string such as {@code 'YYYY-MM-DD HH24:MI:SS'} or {@code 'MM/DD/YYYY'}. Values without
 * an offset are UTC. Pure.
 */
final class DateTimes {
  private static final DateTimeFormatter AUTO_TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd")
      .optionalStart().optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ')
      .optionalEnd().appendPattern("HH:mm").optionalStart().appendPattern(":ss").optionalEnd()
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .optionalEnd()
      .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  private static final List<DateTimeFormatter> AUTO_DATES = List.of(
      pattern("uuuu-MM-dd"), pattern("uuuu/MM/dd"), pattern("MM/dd/uuuu"), pattern("uuuuMMdd"),
      pattern("dd-MMM-uuuu"), pattern("MMM dd, uuuu"));
  /** Redshift format elements, longest first, and their java.time patterns. */
  private static final List<String[]> ELEMENTS = List.of(new String[] {"HH24", "HH"},
      new String[] {"HH12", "hh"}, new String[] {"YYYY", "uuuu"}, new String[] {"MONTH", "MMMM"},
      new String[] {"MON", "MMM"}, new String[] {"YY", "uu"}, new String[] {"MM", "MM"}, new String[] {"DD", "dd"},
      new String[] {"HH", "HH"}, new String[] {"MI", "mm"}, new String[] {"SS", "ss"}, new String[] {"AM", "a"},
      new String[] {"PM", "a"}, new String[] {"TZH:TZM", "xxx"}, new String[] {"OF", "x"});

  private DateTimes() {}

  /** A timestamp in UTC; throws IllegalArgumentException when {@code text} does not match. */
  static Instant timestamp(String text, String format) {
    String value = text.strip();
    String kind = format == null ? "auto" : format.strip().toLowerCase(Locale.ROOT);
    try {
      switch (kind) {
        case "auto":
          return auto(value);
        case "epochsecs":
          BigDecimal seconds = new BigDecimal(value);
          return Instant.ofEpochSecond(seconds.longValue(),
              seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        case "epochmillisecs":
          return Instant.ofEpochMilli(new BigDecimal(value).longValue());
        default:
          return toInstant(custom(format).parse(value));
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' does not match " + (format == null ? "'auto'"
          : "'" + format + "'"), e);
    }
  }

  /** A date; throws IllegalArgumentException when {@code text} does not match. */
  static LocalDate date(String text, String format) {
    String value = text.strip();
    try {
      if (format != null && !format.strip().equalsIgnoreCase("auto")) {
        return LocalDate.from(custom(format).parse(value));
      }
      for (DateTimeFormatter candidate : AUTO_DATES) {
        try {
          return LocalDate.parse(value, candidate);
        } catch (DateTimeParseException next) {
          // try the next form
        }
      }
      return LocalDate.ofInstant(auto(value), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' does not match " + (format == null ? "'auto'"
          : "'" + format + "'"), e);
    }
  }

  /** A Redshift datetime format string as a java.time formatter; other letters are literals. */
  static DateTimeFormatter custom(String format) {
    StringBuilder pattern = new StringBuilder();
    String upper = format.toUpperCase(Locale.ROOT);
    int i = 0;
    outer:
    while (i < upper.length()) {
      if (upper.charAt(i) == 'S' && i > 0 && upper.charAt(i - 1) == '.') {
        int end = i;
        while (end < upper.length() && upper.charAt(end) == 'S') {
          end++;
        }
        pattern.append("S".repeat(end - i));
        i = end;
        continue;
      }
      for (String[] element : ELEMENTS) {
        if (upper.startsWith(element[0], i)) {
          pattern.append(element[1]);
          i += element[0].length();
          continue outer;
        }
      }
      char c = format.charAt(i++);
      pattern.append(Character.isLetter(c) || c == '\'' ? "'" + (c == '\'' ? "''" : c) + "'" : String.valueOf(c));
    }
    return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern.toString())
        .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }

  private static Instant auto(String value) {
    return toInstant(AUTO_TIMESTAMP.parse(value));
  }

  private static Instant toInstant(TemporalAccessor parsed) {
    LocalDate date = LocalDate.from(parsed);
    LocalDateTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY)
        ? LocalDateTime.of(date, java.time.LocalTime.from(parsed)) : date.atStartOfDay();
    int offset = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? parsed.get(ChronoField.OFFSET_SECONDS) : 0;
    return time.toInstant(ZoneOffset.ofTotalSeconds(offset));
  }

  private static DateTimeFormatter pattern(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }
}
