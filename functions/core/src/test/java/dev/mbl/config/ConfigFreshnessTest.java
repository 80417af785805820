package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code options.expect_new_data_within}: the freshness expectation the health model warns on. */
class ConfigFreshnessTest {
  private static final ConfigRef SOURCE = ConfigRef.s3("configs", "config/orders.json");
  private final ConfigParser parser = ConfigParser.create();

  private TableConfig parse(String options) {
    return parser.parse(("{\"copy\":{\"table_name\":\"public.orders\",\"role_arn\":"
        + "\"arn:aws:iam::123456789012:role/copy\",\"options\":\"FORMAT AS CSV\"},"
        + "\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"},\"options\":{" + options + "}}")
        .getBytes(StandardCharsets.UTF_8), SOURCE);
  }

  @Test
  void parse_isoDuration_setsExpectation() {
    assertThat(parse("\"expect_new_data_within\":\"PT6H\"").freshnessExpectation()).contains(Duration.ofHours(6));
    assertThat(parse("\"expect_new_data_within\":\"P1D\"").expectNewDataWithin()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void parse_absent_noExpectation() {
    assertThat(parse("\"mode\":\"append\"").freshnessExpectation()).isEmpty();
  }

  @Test
  void parse_notADuration_namesPathAndFormat() {
    assertThatThrownBy(() -> parse("\"expect_new_data_within\":\"6 hours\"")).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("$.options.expect_new_data_within: '6 hours' is not an ISO-8601 duration")
        .hasMessageContaining("PT6H");
  }

  @Test
  void parse_outsideRange_reportedWithOtherProblemsAtOnce() {
    assertThatThrownBy(() -> parse("\"expect_new_data_within\":\"PT1M\",\"max_attempts\":0"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("$.options.expect_new_data_within: 'PT1M' is outside PT5M to P30D")
        .hasMessageContaining("$.options.max_attempts");
    assertThatThrownBy(() -> parse("\"expect_new_data_within\":\"P31D\"")).hasMessageContaining("outside PT5M to P30D");
  }

  @Test
  void parse_notText_isATypeProblem() {
    assertThatThrownBy(() -> parse("\"expect_new_data_within\":6")).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("$.options.expect_new_data_within");
  }
}
