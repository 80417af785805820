package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathTemplateTest {
  private static final ZonedDateTime NOW = ZonedDateTime.of(2024, 3, 1, 14, 5, 0, 0, ZoneOffset.UTC);

  @Test
  void resolve_today_formatsCurrentDate() {
    assertThat(PathTemplate.resolve("s3://landing/orders/{today:yyyy/MM/dd}/", NOW))
        .isEqualTo("s3://landing/orders/2024/03/01/");
  }

  @Test
  void resolve_yesterday_previousDayAcrossMonthEnd() {
    assertThat(PathTemplate.resolve("orders/{yesterday:yyyy/MM/dd}", NOW)).isEqualTo("orders/2024/02/29");
  }

  @Test
  void resolve_now_includesHour() {
    assertThat(PathTemplate.resolve("orders/{now:yyyy/MM/dd/HH}/", NOW)).isEqualTo("orders/2024/03/01/14/");
  }

  @Test
  void resolve_dayOffset_subtractsDays() {
    assertThat(PathTemplate.resolve("orders/{today-2d:yyyyMMdd}", NOW)).isEqualTo("orders/20240228");
  }

  @Test
  void resolve_hourOffset_subtractsHoursAcrossMidnight() {
    ZonedDateTime earlyMorning = ZonedDateTime.of(2024, 3, 1, 1, 30, 0, 0, ZoneOffset.UTC);

    assertThat(PathTemplate.resolve("orders/{now-3h:yyyy/MM/dd/HH}", earlyMorning)).isEqualTo("orders/2024/02/29/22");
  }

  @Test
  void resolve_offsetOnYesterday_addsToTheDayBefore() {
    assertThat(PathTemplate.resolve("{yesterday-2d:yyyy-MM-dd}", NOW)).isEqualTo("2024-02-27");
  }

  @Test
  void resolve_justAfterMidnightInBerlin_usesBerlinDateNotUtc() {
    ZonedDateTime berlin = ZonedDateTime.of(2024, 7, 15, 0, 30, 0, 0, ZoneId.of("Europe/Berlin"));
    assertThat(berlin.withZoneSameInstant(ZoneOffset.UTC).getDayOfMonth()).isEqualTo(14);

    assertThat(PathTemplate.resolve("orders/{today:yyyy/MM/dd}/{now:HH}", berlin)).isEqualTo("orders/2024/07/15/00");
    assertThat(PathTemplate.resolve("orders/{today:yyyy/MM/dd}",
        berlin.withZoneSameInstant(ZoneOffset.UTC))).isEqualTo("orders/2024/07/14");
  }

  @Test
  void resolve_severalPlaceholders_replacesEach() {
    assertThat(PathTemplate.resolve("{yesterday:yyyy}/{today:MM}/{now-1h:HH}/{today:dd}", NOW))
        .isEqualTo("2024/03/13/01");
  }

  @Test
  void resolve_noPlaceholder_unchanged() {
    assertThat(PathTemplate.resolve("s3://landing/orders/static/", NOW)).isEqualTo("s3://landing/orders/static/");
  }

  @Test
  void resolve_quotedLiteralWithDollar_keptVerbatim() {
    assertThat(PathTemplate.resolve("{today:'$'yyyy}", NOW)).isEqualTo("$2024");
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders/{tomorrow:yyyy}", "orders/{today+1d:yyyy}", "orders/{today-1w:yyyy}",
      "orders/{today}", "orders/{today-12345d:yyyy}", "orders/{today:yyyy"})
  void resolve_unknownPlaceholder_rejectedNamingPath(String template) {
    assertThatThrownBy(() -> PathTemplate.resolve(template, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + template + "'")
        .hasMessageContaining("placeholder");
  }

  @Test
  void resolve_badDatePattern_rejectedNamingPattern() {
    assertThatThrownBy(() -> PathTemplate.resolve("orders/{today:yyyy/bb}", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("date pattern 'yyyy/bb'")
        .hasMessageContaining("orders/{today:yyyy/bb}")
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }
}
