package dev.mbl.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * {@code options.expect_new_data_within}: an ISO-8601 duration ({@code PT6H}, {@code P1D}) from
 * {@link #MIN} to {@link #MAX}. The health model warns when no file loaded for longer.
 */
final class Freshness {
  /** Below this the one-minute reconcile and five-minute alarm periods cannot tell late from normal. */
  static final Duration MIN = Duration.ofMinutes(5);
  /** The tracker keeps batch history for its retention (30 days by default). */
  static final Duration MAX = Duration.ofDays(30);

  private Freshness() {}

  static Duration parse(String path, String value, Problems problems) {
    if (value == null) {
      return null;
    }
    Duration parsed;
    try {
      parsed = Duration.parse(value.trim());
    } catch (DateTimeParseException notDuration) {
      problems.add(path, "'" + value + "' is not an ISO-8601 duration",
          "write hours as PT6H, minutes as PT30M, days as P1D");
      return null;
    }
    if (parsed.compareTo(MIN) < 0 || parsed.compareTo(MAX) > 0) {
      problems.add(path, "'" + value + "' is outside PT5M to P30D",
          "use at least PT5M (the alarm period) and at most P30D (the tracker's default retention)");
      return null;
    }
    return parsed;
  }
}
