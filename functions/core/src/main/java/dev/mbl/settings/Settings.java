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

  /** Reads and validates {@code env}; one exception lists every missing or bad variable. */
  public static Settings fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String region = required(env, AWS_REGION, problems);
    String tracker = required(env, TRACKER_TABLE, problems);
    String configBucket = required(env, CONFIG_BUCKET, problems);
    String configPrefix = env.getOrDefault(CONFIG_PREFIX, "config/");
    String manifestBucket = env.getOrDefault(MANIFEST_BUCKET, configBucket);
    String manifestPrefix = env.getOrDefault(MANIFEST_PREFIX, "manifests/");
    Duration retention = Duration.ofDays(positive(env, RETENTION_DAYS, 30, problems));
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

  private static Duration seconds(Map<String, String> env, String name, long fallback, List<String> problems) {
    return Duration.ofSeconds(positive(env, name, fallback, problems));
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
