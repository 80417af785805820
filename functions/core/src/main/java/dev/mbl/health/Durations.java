package dev.mbl.health;

import java.time.Duration;
import java.time.Instant;

/** Short human durations ("45s", "7m", "3h12m", "2d4h") for health reasons and tables. */
public final class Durations {
  private Durations() {}

  static Duration nonNegative(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }

  public static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m";
    }
    if (s < 86_400) {
      return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : (s % 3600 / 60) + "m");
    }
    return (s / 86_400) + "d" + (s % 86_400 / 3600 == 0 ? "" : (s % 86_400 / 3600) + "h");
  }

  /** The age of {@code at} at {@code now}, or "-" when {@code at} is null. */
  public static String age(Instant at, Instant now) {
    return at == null ? "-" : human(nonNegative(at, now));
  }
}
