package dev.mbl.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.load.LoadTimings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {
  private static final Map<String, String> REQUIRED = Map.of(
      SettingNames.AWS_REGION, "eu-west-1",
      SettingNames.TRACKER_TABLE, "mbl-tracker",
      SettingNames.CONFIG_BUCKET, "mbl-config");

  @Test
  void fromEnvironment_onlyRequired_defaults() {
    Settings settings = Settings.fromEnvironment(REQUIRED);

    assertThat(settings.region()).isEqualTo("eu-west-1");
    assertThat(settings.trackerTable()).isEqualTo("mbl-tracker");
    assertThat(settings.configBucket()).isEqualTo("mbl-config");
    assertThat(settings.configPrefix()).isEqualTo("config/");
    assertThat(settings.manifestBucket()).isEqualTo("mbl-config");
    assertThat(settings.manifestPrefix()).isEqualTo("manifests/");
    assertThat(settings.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(settings.cacheTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.timings()).isEqualTo(LoadTimings.DEFAULT);
  }

  @Test
  void fromEnvironment_everyOverride_used() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put(SettingNames.CONFIG_PREFIX, "queues/");
    env.put(SettingNames.MANIFEST_BUCKET, "mbl-manifests");
    env.put(SettingNames.MANIFEST_PREFIX, "m/");
    env.put(SettingNames.RETENTION_DAYS, "7");
    env.put(SettingNames.CACHE_SECONDS, "60");
    env.put(SettingNames.RUNNING_LEASE_SECONDS, "1800");
    env.put(SettingNames.START_LEASE_SECONDS, "90");
    env.put(SettingNames.CHECK_RUNNING_SECONDS, "45");
    env.put(SettingNames.RETRY_BASE_SECONDS, "10");
    env.put(SettingNames.RETRY_MAX_SECONDS, "600");
    env.put(SettingNames.SETUP_PAUSE_SECONDS, " 120 ");

    Settings settings = Settings.fromEnvironment(env);

    assertThat(settings).isEqualTo(new Settings("eu-west-1", "mbl-tracker", "mbl-config", "queues/", "mbl-manifests",
        "m/", Duration.ofDays(7), Duration.ofSeconds(60), new LoadTimings(Duration.ofSeconds(1800),
            Duration.ofSeconds(90), Duration.ofSeconds(45), Duration.ofSeconds(10), Duration.ofSeconds(600),
            Duration.ofSeconds(120))));
  }

  @Test
  void fromEnvironment_blankOptional_default() {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put(SettingNames.RETENTION_DAYS, "");
    env.put(SettingNames.RETRY_BASE_SECONDS, "  ");

    Settings settings = Settings.fromEnvironment(env);

    assertThat(settings.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(settings.timings().retryBase()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void fromEnvironment_emptyEnvironment_listsEveryRequiredVariable() {
    assertThatThrownBy(() -> Settings.fromEnvironment(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AWS_REGION is not set")
        .hasMessageContaining("MBL_TRACKER_TABLE is not set")
        .hasMessageContaining("MBL_CONFIG_BUCKET is not set");
  }

  @Test
  void fromEnvironment_manyProblems_allReportedAtOnce() {
    Map<String, String> env = new HashMap<>();
    env.put(SettingNames.TRACKER_TABLE, " ");
    env.put(SettingNames.CONFIG_BUCKET, "mbl-config");
    env.put(SettingNames.RETENTION_DAYS, "0");
    env.put(SettingNames.CACHE_SECONDS, "five");
    env.put(SettingNames.RUNNING_LEASE_SECONDS, "-1");
    env.put(SettingNames.START_LEASE_SECONDS, "1.5");
    env.put(SettingNames.CHECK_RUNNING_SECONDS, "2m");
    env.put(SettingNames.RETRY_BASE_SECONDS, "0");
    env.put(SettingNames.RETRY_MAX_SECONDS, "x");
    env.put(SettingNames.SETUP_PAUSE_SECONDS, "-300");

    assertThatThrownBy(() -> Settings.fromEnvironment(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("mbl cannot start, its environment is incomplete:")
        .hasMessageContaining("AWS_REGION is not set")
        .hasMessageContaining("MBL_TRACKER_TABLE is not set")
        .hasMessageContaining("MBL_RETENTION_DAYS is '0': use a whole number above 0")
        .hasMessageContaining("MBL_CACHE_SECONDS is 'five'")
        .hasMessageContaining("MBL_RUNNING_LEASE_SECONDS is '-1'")
        .hasMessageContaining("MBL_START_LEASE_SECONDS is '1.5'")
        .hasMessageContaining("MBL_CHECK_RUNNING_SECONDS is '2m'")
        .hasMessageContaining("MBL_RETRY_BASE_SECONDS is '0'")
        .hasMessageContaining("MBL_RETRY_MAX_SECONDS is 'x'")
        .hasMessageContaining("MBL_SETUP_PAUSE_SECONDS is '-300'")
        .satisfies(e -> assertThat(e.getMessage().split("\n  - ")).hasSize(11))
        .hasMessageNotContaining("MBL_CONFIG_BUCKET");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-5", "3.0"})
  void fromEnvironment_badNumber_rejectedQuotingValue(String value) {
    Map<String, String> env = new HashMap<>(REQUIRED);
    env.put(SettingNames.CACHE_SECONDS, value);

    assertThatThrownBy(() -> Settings.fromEnvironment(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SettingNames.CACHE_SECONDS + " is '" + value + "'");
  }

  @Test
  void constructor_nullField_rejectedNamingIt() {
    assertThatThrownBy(() -> new Settings("eu-west-1", "t", "b", "config/", "b", "manifests/", Duration.ofDays(1),
        Duration.ofSeconds(1), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timings");
  }

  @Test
  void fromEnvironment_blankManifestBucket_usesConfigBucket() {
    Settings settings = Settings.fromEnvironment(java.util.Map.of("AWS_REGION", "eu-west-1", "MBL_TRACKER_TABLE", "t",
        "MBL_CONFIG_BUCKET", "cfg", "MBL_MANIFEST_BUCKET", " "));

    assertThat(settings.manifestBucket()).isEqualTo("cfg");
  }

  @Test
  void fromEnvironment_hugeRetention_reportedAsProblem() {
    assertThatThrownBy(() -> Settings.fromEnvironment(java.util.Map.of("AWS_REGION", "eu-west-1",
        "MBL_TRACKER_TABLE", "t", "MBL_CONFIG_BUCKET", "cfg", "MBL_RETENTION_DAYS", "999999999999999999")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("MBL_RETENTION_DAYS");
  }
}
