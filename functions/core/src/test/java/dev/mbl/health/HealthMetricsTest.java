package dev.mbl.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.load.TableKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The reconcile's Embedded Metric Format line ("Specification: Embedded metric format", CloudWatch
 * User Guide): a root {@code _aws} with Timestamp (epoch millis) and CloudWatchMetrics directives whose
 * dimension and metric names are root members holding the values.
 */
class HealthMetricsTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  void line_criticalTable_isEmfWithEveryMetricAsRootMember() throws Exception {
    TableKey table = TableKey.parse("analytics/dev/public.orders");
    TableSnapshot snapshot = new TableSnapshot(table, 3, 3, NOW.minusSeconds(90), NOW.minusSeconds(90), 0, 0, null,
        null, null, 1, "s3://l/bad.csv", "bad digit", NOW.minusSeconds(30), null, null, 5, 1);
    TableHealth health = HealthRules.standard().evaluate(snapshot, NOW);

    JsonNode line = new ObjectMapper().readTree(new HealthMetrics().line(health, NOW));

    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
    assertThat(directive.path("Namespace").asText()).isEqualTo("mbl/health");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Table\"]]");
    assertThat(directive.path("Metrics").findValuesAsText("Name")).containsExactly("Health", "PendingFiles",
        "OldestPendingAgeSeconds", "FilesLoaded", "FilesQuarantined");
    for (String name : directive.path("Metrics").findValuesAsText("Name")) {
      assertThat(line.path(name).isNumber()).as(name).isTrue();
    }
    assertThat(line.path("Table").asText()).isEqualTo("analytics/dev/public.orders");
    assertThat(line.path("Health").asInt()).isEqualTo(2);
    assertThat(line.path("PendingFiles").asInt()).isEqualTo(3);
    assertThat(line.path("OldestPendingAgeSeconds").asInt()).isEqualTo(90);
    assertThat(line.path("FilesLoaded").asInt()).isEqualTo(5);
    assertThat(line.path("FilesQuarantined").asInt()).isEqualTo(1);
    assertThat(line.path("state").asText()).isEqualTo("CRITICAL");
    assertThat(line.path("reason").asText()).contains("quarantined");
    assertThat(line.path("action").asText()).isEqualTo("health");
  }
}
