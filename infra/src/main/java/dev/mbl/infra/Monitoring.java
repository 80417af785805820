package dev.mbl.infra;

import dev.mbl.health.Health;
import dev.mbl.health.HealthMetrics;
import dev.mbl.infra.LoaderFunctions.Kind;
import dev.mbl.tables.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.LogQueryVisualizationType;
import software.amazon.awscdk.services.cloudwatch.LogQueryWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.MetricFilterOptions;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms to one SNS topic, metrics drawn from the functions' JSON log lines, and a dashboard with
 * a row per table. Log-derived metrics live in the namespace {@code mbl/<stack name>}.
 */
public final class Monitoring extends Construct {
  public static final String LOADED_PATTERN = "{ ($.action = \"loaded\") && ($.table = *) }";
  public static final String STARTED_PATTERN = "{ ($.action = \"started\") && ($.table = *) }";
  public static final String FILES_LOADED_PATTERN = "{ ($.action = \"loaded\") && ($.table = *) && ($.file_count > 0) }";
  /** Actions that mean a lock outlived its lease and was repaired (LoadCoordinator's repair paths). */
  public static final String LOCK_REPAIR_PATTERN = "{ $.action = \"rolled-back\" || $.action = \"forgotten\" "
      + "|| $.action = \"lock-lost\" || $.action = \"adopted\" }";
  public static final String ERROR_LINE_PATTERN = "{ $.level = \"ERROR\" }";
  /** Actions that mean a table's files are waiting on a setup problem (config, table, permissions). */
  public static final String SETUP_PROBLEM_PATTERN = "{ $.action = \"held\" || $.action = \"deferred\" "
      + "|| $.action = \"submit-rejected\" }";
  public static final String TABLE_DIMENSION = "Table";
  static final Duration QUEUE_AGE_LIMIT = Duration.minutes(15);
  /** Sid of the topic-policy statement that lets this stack's alarms publish. */
  public static final String ALARMS_PUBLISH_SID = "CloudWatchAlarmsOfThisStackPublish";
  /**
   * NoLoad: in each half of the table's window, batches started and none loaded. Two halves in a
   * row, so a batch started at the end of one half and loaded early in the next is no alarm; no
   * start at all (a fresh deploy, a quiet table) is none either.
   */
  /**
   * The status grid: the newest health line of every table (NextLoader writes one per table per
   * reconcile, dev.mbl.health.HealthMetrics) with its state, reason and what to do.
   */
  public static final String STATUS_GRID_QUERY = "fields @timestamp | filter action = \"" + HealthMetrics.ACTION
      + "\" | stats latest(state) as state, latest(reason) as reason, latest(do) as todo by " + HealthMetrics.DIMENSION
      + " | sort " + HealthMetrics.DIMENSION;
  static final String NO_LOAD_EXPRESSION = "IF(FILL(started, 0) > 0, IF(FILL(loaded, 0) == 0, 1, 0), 0)";

  /** One table's queues, for its alarms and its dashboard row. */
  public record TableQueues(TableSpec table, TableIngest ingest) {}

  /**
   * @param functions the three functions
   * @param tables every table with its queues
   * @param alarmEmail subscribed to the topic when not null
   */
  public record Props(LoaderFunctions functions, List<TableQueues> tables, String alarmEmail) {}

  private final Topic topic;
  private final String namespace;
  private final List<Alarm> alarms = new ArrayList<>();

  public Monitoring(Construct scope, String id, Props props) {
    super(scope, id);
    namespace = "mbl/" + Stack.of(this).getStackName();
    topic = Topic.Builder.create(this, "AlarmTopic").displayName("mbl alarms").enforceSsl(true).build();
    allowAlarmsToPublish();
    if (props.alarmEmail() != null) {
      topic.addSubscription(new EmailSubscription(props.alarmEmail()));
    }
    LoaderFunctions functions = props.functions();
    for (Kind kind : Kind.values()) {
      var logs = functions.logGroup(kind);
      logs.addMetricFilter("BatchesLoaded", MetricFilterOptions.builder().metricNamespace(namespace)
          .metricName("BatchesLoaded").filterPattern(FilterPattern.literal(LOADED_PATTERN)).metricValue("1")
          .dimensions(Map.of(TABLE_DIMENSION, "$.table")).build());
      logs.addMetricFilter("BatchesStarted", MetricFilterOptions.builder().metricNamespace(namespace)
          .metricName("BatchesStarted").filterPattern(FilterPattern.literal(STARTED_PATTERN)).metricValue("1")
          .dimensions(Map.of(TABLE_DIMENSION, "$.table")).build());
      logs.addMetricFilter("FilesLoaded", MetricFilterOptions.builder().metricNamespace(namespace)
          .metricName("FilesLoaded").filterPattern(FilterPattern.literal(FILES_LOADED_PATTERN))
          .metricValue("$.file_count").dimensions(Map.of(TABLE_DIMENSION, "$.table")).build());
      logs.addMetricFilter("LockRepairs", MetricFilterOptions.builder().metricNamespace(namespace)
          .metricName("LockRepairs").filterPattern(FilterPattern.literal(LOCK_REPAIR_PATTERN)).metricValue("1").build());
      logs.addMetricFilter("ErrorLines", MetricFilterOptions.builder().metricNamespace(namespace)
          .metricName("ErrorLines").filterPattern(FilterPattern.literal(ERROR_LINE_PATTERN)).metricValue("1").build());
      logs.addMetricFilter("SetupProblems", MetricFilterOptions.builder().metricNamespace(namespace)
          .metricName("SetupProblems").filterPattern(FilterPattern.literal(SETUP_PROBLEM_PATTERN)).metricValue("1")
          .build());
      alarm("Errors-" + kind.id(), kind.id() + " invocations failed (Lambda Errors > 0)",
          functions.function(kind).metricErrors(sum(Duration.minutes(5))), 0, TreatMissingData.NOT_BREACHING);
    }
    alarm("LockRepairs", "a table lock outlived its lease and was repaired (rolled-back, forgotten, lock-lost or "
        + "adopted in the logs); look at the table's batch in docs/operations.md",
        metric("LockRepairs", null, Duration.minutes(5)), 0, TreatMissingData.NOT_BREACHING);
    alarm("ErrorLines", "an ERROR line was logged (quarantined, error or message-failed)",
        metric("ErrorLines", null, Duration.minutes(5)), 0, TreatMissingData.NOT_BREACHING);
    // Held files retry every setup pause (5 min), deferred ones every reconcile: 3 in 15 minutes is a
    // problem that persists, not a blip.
    alarm("SetupProblems", "a table's files keep waiting on a setup problem (held, deferred or submit-rejected in "
        + "the logs: missing table or config, permissions, wrong cluster); the log detail names it, "
        + "see docs/operations.md", metric("SetupProblems", null, Duration.minutes(15)), 2,
        TreatMissingData.NOT_BREACHING);
    alarm("AsyncFailures", "an event or schedule could not be delivered to, or processed by, NextLoader or BulkLoader",
        functions.asyncFailures().metricApproximateNumberOfMessagesVisible(max(Duration.minutes(5))), 0,
        TreatMissingData.NOT_BREACHING);
    Alarm reconcile = Alarm.Builder.create(this, "ReconcileStopped").alarmName(alarmName("ReconcileStopped"))
        .alarmDescription("NextLoader was not invoked for 5 minutes: the one-minute reconcile schedule is not running, "
            + "so nothing repairs lost events")
        .metric(functions.function(Kind.NEXT_LOADER).metricInvocations(sum(Duration.minutes(5))))
        .threshold(1).comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
        .evaluationPeriods(1).treatMissingData(TreatMissingData.BREACHING).build();
    register(reconcile);

    List<IWidget> rows = new ArrayList<>();
    for (TableQueues entry : props.tables()) {
      tableAlarms(entry);
      rows.add(GraphWidget.Builder.create().title(entry.table().name() + ": loads (" + entry.table().tableKey() + ")")
          .width(12).left(List.of(metric("BatchesLoaded", entry.table().tableKey(), Duration.minutes(5)),
              metric("FilesLoaded", entry.table().tableKey(), Duration.minutes(5)))).build());
      rows.add(GraphWidget.Builder.create().title(entry.table().name() + ": queue")
          .width(12)
          .left(List.of(entry.ingest().queue().metricApproximateNumberOfMessagesVisible(max(Duration.minutes(5))),
              entry.ingest().deadLetters().metricApproximateNumberOfMessagesVisible(max(Duration.minutes(5)))))
          .right(List.of(entry.ingest().queue().metricApproximateAgeOfOldestMessage(max(Duration.minutes(5)))))
          .build());
    }
    Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard").build();
    dashboard.addWidgets(TextWidget.Builder.create().width(24).height(2)
        .markdown("# mbl\nEvery table's health (OK, WARN, CRITICAL: why, and what to do; `mbl status` shows the same), "
            + "then one row per table: batches and files loaded, queue depth, dead letters and the age of the "
            + "oldest message. Runbook: docs/operations.md").build());
    dashboard.addWidgets(LogQueryWidget.Builder.create().title("table health (newest reconcile)").width(24)
        .height(Math.max(4, 2 + props.tables().size())).view(LogQueryVisualizationType.TABLE)
        .logGroupNames(List.of(functions.logGroup(Kind.NEXT_LOADER).getLogGroupName()))
        .queryString(STATUS_GRID_QUERY).build());
    for (int i = 0; i < rows.size(); i += 2) {
      dashboard.addWidgets(rows.get(i), rows.get(i + 1));
    }
    List<IMetric> errors = new ArrayList<>();
    List<IMetric> durations = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      errors.add(functions.function(kind).metricErrors(sum(Duration.minutes(5))));
      durations.add(functions.function(kind).metricDuration(max(Duration.minutes(5))));
    }
    errors.add(metric("LockRepairs", null, Duration.minutes(5)));
    errors.add(metric("ErrorLines", null, Duration.minutes(5)));
    dashboard.addWidgets(
        GraphWidget.Builder.create().title("functions: errors, lock repairs, ERROR lines").width(12).left(errors).build(),
        GraphWidget.Builder.create().title("functions: longest duration").width(12).left(durations).build());
  }

  private void tableAlarms(TableQueues entry) {
    TableSpec table = entry.table();
    alarm(table.name() + "-DeadLetters", "messages of queue " + table.name() + " failed " + TableIngest.MAX_RECEIVE_COUNT
        + " times and wait in " + table.name() + TableSpec.DLQ_SUFFIX + " (re-drive them after fixing the cause)",
        entry.ingest().deadLetters().metricApproximateNumberOfMessagesVisible(max(Duration.minutes(1))), 0,
        TreatMissingData.NOT_BREACHING);
    // A message that failed once becomes visible again only after the visibility timeout (about 30
    // minutes), already older than QUEUE_AGE_LIMIT: the alarm allows one full timeout on top, so
    // only a message that waits in the queue without being taken trips it.
    long ageLimit = entry.ingest().visibilityTimeoutSeconds() + QUEUE_AGE_LIMIT.toSeconds().longValue();
    alarm(table.name() + "-QueueAge", "queue " + table.name() + " holds a message older than its visibility timeout "
        + "plus " + QUEUE_AGE_LIMIT.toMinutes() + " minutes (" + ageLimit / 60 + " minutes): MicrobatchLoader is "
        + "failing on it repeatedly, or is throttled",
        entry.ingest().queue().metricApproximateAgeOfOldestMessage(max(Duration.minutes(5))), ageLimit,
        TreatMissingData.NOT_BREACHING);
    Duration half = Duration.minutes(table.noLoadAlarmHours() * 30L);
    Alarm stale = Alarm.Builder.create(this, table.name() + "-NoLoad").alarmName(alarmName(table.name() + "-NoLoad"))
        .alarmDescription("batches of " + table.tableKey() + " started but none loaded, in each half of the last "
            + table.noLoadAlarmHours() + " hours: loads keep failing (look for retry, held or quarantined lines)")
        .metric(MathExpression.Builder.create().expression(NO_LOAD_EXPRESSION).period(half)
            .usingMetrics(Map.of("started", metric("BatchesStarted", table.tableKey(), half),
                "loaded", metric("BatchesLoaded", table.tableKey(), half)))
            .label(table.name() + " started without loads").build())
        .threshold(1).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .evaluationPeriods(2).datapointsToAlarm(2)
        // No data (nothing started: a fresh deploy or a quiet table) is no alarm.
        .treatMissingData(TreatMissingData.NOT_BREACHING).build();
    register(stale);
    healthAlarms(table);
  }

  /**
   * From the health model's EMF metric (namespace {@value HealthMetrics#NAMESPACE}): CRITICAL for
   * two reconciles in a row, and, where the config sets {@code expect_new_data_within}, WARN or
   * worse for 15 minutes (no new data, or retries that do not clear). A table never reported (not
   * yet registered) is no alarm; the ReconcileStopped alarm covers a reconcile that stopped.
   */
  private void healthAlarms(TableSpec table) {
    Metric health = Metric.Builder.create().namespace(HealthMetrics.NAMESPACE).metricName(HealthMetrics.HEALTH)
        .dimensionsMap(Map.of(HealthMetrics.DIMENSION, table.tableKey())).statistic("Minimum")
        .period(Duration.minutes(1)).build();
    register(Alarm.Builder.create(this, table.name() + "-Critical").alarmName(alarmName(table.name() + "-Critical"))
        .alarmDescription(table.tableKey() + " is CRITICAL (quarantined files, a stuck lock, dead letters or a setup "
            + "problem): `mbl status " + table.config().table() + "` says why and the one command to run")
        .metric(health).threshold(Health.CRITICAL.code())
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD).evaluationPeriods(2)
        .datapointsToAlarm(2).treatMissingData(TreatMissingData.NOT_BREACHING).build());
    table.config().freshnessExpectation().ifPresent(expected -> register(Alarm.Builder.create(this,
            table.name() + "-Stale").alarmName(alarmName(table.name() + "-Stale"))
        .alarmDescription(table.tableKey() + " is WARN or worse for 15 minutes: no file loaded within its "
            + "expect_new_data_within (" + expected + ") or retries do not clear; `mbl status "
            + table.config().table() + "`")
        .metric(health.with(MetricOptions.builder().period(Duration.minutes(5)).build()))
        .threshold(Health.WARN.code()).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .evaluationPeriods(3).datapointsToAlarm(3).treatMissingData(TreatMissingData.NOT_BREACHING).build()));
  }


  private void alarm(String id, String description, IMetric metric, Number threshold, TreatMissingData missing) {
    register(Alarm.Builder.create(this, id).alarmName(alarmName(id)).alarmDescription(description).metric(metric)
        .threshold(threshold)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD).evaluationPeriods(1)
        .treatMissingData(missing).build());
  }

  /**
   * A topic policy replaces SNS's default one, and enforceSsl's holds only a Deny: without this
   * statement CloudWatch may not publish and every alarm stays silent ("Why didn't I receive an SNS
   * notification for my CloudWatch alarm trigger?", AWS Knowledge Center). Scoped to this account's
   * alarms named {@code <stack>-*}: every alarm of this stack, and only those.
   */
  private void allowAlarmsToPublish() {
    Stack stack = Stack.of(this);
    String alarms = stack.formatArn(ArnComponents.builder().service("cloudwatch").resource("alarm")
        .resourceName(alarmName("*")).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    topic.addToResourcePolicy(PolicyStatement.Builder.create().sid(ALARMS_PUBLISH_SID).effect(Effect.ALLOW)
        .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
        .actions(List.of("sns:Publish"))
        .resources(List.of(topic.getTopicArn()))
        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
            "ArnLike", Map.of("aws:SourceArn", alarms)))
        .build());
  }

  /** {@code <stack>-<id>}: the name an operator reads in the alarm e-mail. */
  private String alarmName(String id) {
    return Stack.of(this).getStackName() + "-" + id;
  }

  /** Both the alarm and its recovery reach the topic. */
  private void register(Alarm alarm) {
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
    alarms.add(alarm);
  }

  private Metric metric(String name, String table, Duration period) {
    Metric.Builder metric = Metric.Builder.create().namespace(namespace).metricName(name).statistic("Sum").period(period);
    if (table != null) {
      metric.dimensionsMap(Map.of(TABLE_DIMENSION, table));
    }
    return metric.build();
  }

  private static MetricOptions sum(Duration period) {
    return MetricOptions.builder().statistic("Sum").period(period).build();
  }

  private static MetricOptions max(Duration period) {
    return MetricOptions.builder().statistic("Maximum").period(period).build();
  }

  public Topic topic() {
    return topic;
  }

  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }
}
