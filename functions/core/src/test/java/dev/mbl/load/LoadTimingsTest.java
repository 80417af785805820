package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadTimingsTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void retryDelay_firstAttempt_base() {
    assertThat(LoadTimings.DEFAULT.retryDelay(1)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retryDelay_laterAttempts_doubleEachTime() {
    LoadTimings timings = LoadTimings.DEFAULT;

    assertThat(timings.retryDelay(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(timings.retryDelay(3)).isEqualTo(Duration.ofSeconds(120));
    assertThat(timings.retryDelay(4)).isEqualTo(Duration.ofSeconds(240));
    assertThat(timings.retryDelay(5)).isEqualTo(Duration.ofSeconds(480));
  }

  @Test
  void retryDelay_pastTheCap_retryMax() {
    assertThat(LoadTimings.DEFAULT.retryDelay(6)).isEqualTo(Duration.ofMinutes(15));
    assertThat(LoadTimings.DEFAULT.retryDelay(100)).isEqualTo(Duration.ofMinutes(15));
    assertThat(LoadTimings.DEFAULT.retryDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void retryDelay_zeroOrNegativeAttempt_base() {
    assertThat(LoadTimings.DEFAULT.retryDelay(0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(LoadTimings.DEFAULT.retryDelay(-3)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retryDelay_hugeCap_doublingStopsAfterTwentySteps() {
    LoadTimings timings = new LoadTimings(MINUTE, MINUTE, MINUTE, Duration.ofSeconds(1), Duration.ofDays(365), MINUTE);

    assertThat(timings.retryDelay(21)).isEqualTo(Duration.ofSeconds(1L << 20));
    assertThat(timings.retryDelay(60)).isEqualTo(Duration.ofSeconds(1L << 20));
  }

  @Test
  void retryDelay_baseAboveMax_max() {
    LoadTimings timings = new LoadTimings(MINUTE, MINUTE, MINUTE, Duration.ofMinutes(10), Duration.ofMinutes(5),
        MINUTE);

    assertThat(timings.retryDelay(1)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void constructor_nullDuration_rejectedNamingField() {
    assertThatThrownBy(() -> new LoadTimings(MINUTE, MINUTE, MINUTE, null, MINUTE, MINUTE))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("retryBase");
  }
}
