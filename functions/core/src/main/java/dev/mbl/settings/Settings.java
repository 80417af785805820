package dev.mbl.settings;

import static dev.mbl.settings.SettingNames.*;

import dev.mbl.load.LoadTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the handlers read from their environment, read in one place and validated at once.
 * Names and defaults are in {@link SettingNames}.
 */
public record Settings(
    String region, String trackerTable, String configBucket, String configPrefix, String manifestBucket,
    String manifestPrefix, Duration retention, Duration cacheTtl, LoadTimings timings) {

  public Settings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(trackerTable, "trackerTable");
    Objects.requireNonNull(configBucket, "configBucket");
    Objects.requireNonNull(configPrefix, "configPrefix");
    Objects.requireNonNull(manifestBucket, "manifestBucket");
    Objects.requireNonNull(manifestPrefix, "manifestPrefix");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Objects.requireNonNull(timings, "timings");
  }

  private static final long MAX_RETENTION_DAYS = 3_650;
  private static final long MAX_SECONDS = 86_400L * 365;

  /** Reads and validates {@code env}; one exception lists every missing or bad variable. */
  public static Settings fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String region = required(env, AWS_REGION, problems);
    String tracker = required(env, TRACKER_TABLE, problems);
    String configBucket = required(env, CONFIG_BUCKET, problems);
    String configPrefix = optional(env, CONFIG_PREFIX, "config/");
    String manifestBucket = optional(env, MANIFEST_BUCKET, configBucket);
    String manifestPrefix = optional(env, MANIFEST_PREFIX, "manifests/");
    long days = positive(env, RETENTION_DAYS, 30, problems);
    if (days > MAX_RETENTION_DAYS) {
      problems.add(RETENTION_DAYS + " is " + days + ": use at most " + MAX_RETENTION_DAYS + " (ten years)");
      days = 30;
    }
    Duration retention = Duration.ofDays(days);
    Duration cache = seconds(env, CACHE_SECONDS, 300, problems);
    LoadTimings timings = new LoadTimings(seconds(env, RUNNING_LEASE_SECONDS, 900, problems),
        seconds(env, START_LEASE_SECONDS, 120, problems), seconds(env, CHECK_RUNNING_SECONDS, 120, problems),
        seconds(env, RETRY_BASE_SECONDS, 30, problems), seconds(env, RETRY_MAX_SECONDS, 900, problems),
        seconds(env, SETUP_PAUSE_SECONDS, 300, problems));
    if (!problems.isEmpty()) {
      throw new IllegalStateException("mbl cannot start, its environment is incomplete:\n  - "
          + String.join("\n  - ", problems));
    }
    return new Settings(region, tracker, configBucket, configPrefix, manifestBucket, manifestPrefix, retention,
        cache, timings);
  }

  private static String required(Map<String, String> env, String name, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      problems.add(name + " is not set: the deployment must set it (see docs/configuration.md)");
      return "";
    }
    return value;
  }

  /** A blank value counts as unset, as it does for every other variable. */
  private static String optional(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static Duration seconds(Map<String, String> env, String name, long fallback, List<String> problems) {
    long value = positive(env, name, fallback, problems);
    if (value > MAX_SECONDS) {
      problems.add(name + " is " + value + ": use at most " + MAX_SECONDS + " seconds (a year)");
      return Duration.ofSeconds(fallback);
    }
    return Duration.ofSeconds(value);
  }

  private static long positive(Map<String, String> env, String name, long fallback, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException notNumber) {
      // reported below
    }
    problems.add(name + " is '" + value + "': use a whole number above 0");
    return fallback;
  }
}
