package dev.mbl.load;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves date placeholders in S3 paths: {@code {today:yyyy/MM/dd}}, {@code {yesterday:yyyy/MM/dd}},
 * {@code {now:yyyy/MM/dd/HH}} and offsets such as {@code {today-2d:yyyyMMdd}} or
 * {@code {now-1h:yyyy/MM/dd/HH}}, in the time zone of the {@code now} given.
 */
public final class PathTemplate {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{(today|yesterday|now)(?:-(\\d{1,4})([dh]))?:([^{}]+)}");

  private PathTemplate() {}

  public static String resolve(String template, ZonedDateTime now) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      ZonedDateTime at = switch (matcher.group(1)) {
        case "yesterday" -> now.minusDays(1);
        default -> now;
      };
      if (matcher.group(2) != null) {
        long amount = Long.parseLong(matcher.group(2));
        at = "d".equals(matcher.group(3)) ? at.minusDays(amount) : at.minusHours(amount);
      }
      DateTimeFormatter format;
      try {
        format = DateTimeFormatter.ofPattern(matcher.group(4));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException("date pattern '" + matcher.group(4) + "' in path '" + template
            + "' is not valid: use java.time patterns such as yyyy/MM/dd", bad);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(at.format(format)));
    }
    matcher.appendTail(out);
    String resolved = out.toString();
    if (resolved.contains("{") || resolved.contains("}")) {
      throw new IllegalArgumentException("path '" + template + "' has a placeholder mbl does not know: use "
          + "{today:...}, {yesterday:...}, {now:...} or offsets like {today-2d:...}");
    }
    return resolved;
  }
}
