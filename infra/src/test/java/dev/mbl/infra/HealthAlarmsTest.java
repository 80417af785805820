package dev.mbl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Alarms and the dashboard read the health model's EMF metric (namespace mbl/health, metric Health,
 * dimension Table): CRITICAL per table, WARN where a freshness expectation is set, alarm and recovery
 * to the topic, and a status grid of every table above the graphs.
 */
class HealthAlarmsTest {
  @TempDir
  static Path work;

  static Synth synth;
  static Template template;

  @BeforeAll
  static void synthesize() {
    synth = Synth.of(Path.of("src/test/resources/tables/all-auth.json"), work,
        Map.of("copyRoleArn", MblStackTest.EVENTS_COPY_ROLE));
    template = synth.template();
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void critical_everyTable_onHealthMetricTwoReconcilesInARow() {
    for (var table : synth.deployment().tables()) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", map(
          "AlarmName", "Mbl-" + table.name() + "-Critical", "Namespace", "mbl/health", "MetricName", "Health",
          "Dimensions", List.of(Map.of("Name", "Table", "Value", table.tableKey())),
          "Statistic", "Minimum", "Period", 60, "Threshold", 2, "EvaluationPeriods", 2, "DatapointsToAlarm", 2,
          "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching",
          "AlarmDescription", Match.stringLikeRegexp(".*mbl status .*")));
    }
  }

  @Test
  void stale_onlyWhereConfigExpectsNewData_warnForFifteenMinutes() {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", map(
        "AlarmName", "Mbl-orders-Stale", "Namespace", "mbl/health", "MetricName", "Health",
        "Dimensions", List.of(Map.of("Name", "Table", "Value", "analytics/dev/public.orders")),
        "Period", 300, "Threshold", 1, "EvaluationPeriods", 3, "DatapointsToAlarm", 3,
        "ComparisonOperator", "GreaterThanOrEqualToThreshold",
        "AlarmDescription", Match.stringLikeRegexp(".*expect_new_data_within \\(PT6H\\).*")));
    assertThat(template.findResources("AWS::CloudWatch::Alarm", Map.of("Properties",
        Map.of("AlarmName", Match.stringLikeRegexp(".*-Stale"))))).hasSize(1);
  }

  @Test
  void everyAlarm_sendsAlarmAndRecoveryToTopic() {
    Object topic = List.of(Map.of("Ref", Match.stringLikeRegexp("MonitoringAlarmTopic.*")));
    template.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of("AlarmActions", topic, "OKActions", topic));
  }

  @Test
  void dashboard_statusGridOfEveryTableAboveTheGraphs() {
    String body = template.findResources("AWS::CloudWatch::Dashboard").toString();
    int grid = body.indexOf("table health (newest reconcile)");
    assertThat(grid).isPositive();
    assertThat(body).contains("filter action = \\\"health\\\"", "latest(state) as state",
        "latest(reason) as reason", "by Table");
    for (var table : synth.deployment().tables()) {
      assertThat(body.indexOf(table.name() + ": loads")).as(table.name()).isGreaterThan(grid);
    }
  }

  @Test
  void statusGridQuery_readsTheFieldsTheEmfLineWrites() {
    assertThat(Monitoring.STATUS_GRID_QUERY).isEqualTo("fields @timestamp | filter action = \"health\" | stats "
        + "latest(state) as state, latest(reason) as reason, latest(do) as todo by Table | sort Table");
  }
}
