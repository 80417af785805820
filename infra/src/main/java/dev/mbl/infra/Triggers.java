package dev.mbl.infra;

import dev.mbl.tables.BulkSchedule;
import dev.mbl.tables.Deployment;
import dev.mbl.tables.TableSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.IAlias;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * What invokes NextLoader and BulkLoader: the Data API's status-change events for mbl's statements,
 * the one-minute reconcile schedule, and each table's previous-day bulk schedule.
 */
public final class Triggers extends Construct {
  public static final String STATUS_SOURCE = "aws.redshift-data";
  public static final String STATUS_DETAIL_TYPE = "Redshift Data Statement Status Change";
  public static final List<String> FINAL_STATES = List.of("FINISHED", "FAILED", "ABORTED");

  /**
   * @param deployment the tables
   * @param nextLoader NextLoader's alias for status events (asynchronous retries, failures to {@code failures})
   * @param reconcile NextLoader's alias for the reconcile schedule (no retries, no failure destination)
   * @param bulkLoader BulkLoader's alias
   * @param landingBucketName the name (possibly a token) of a table's landing bucket
   * @param failures where undeliverable events go
   */
  public record Props(Deployment deployment, IAlias nextLoader, IAlias reconcile, IAlias bulkLoader,
      Function<TableSpec, String> landingBucketName, IQueue failures) {}

  public Triggers(Construct scope, String id, Props props) {
    super(scope, id);
    List<Map<String, String>> prefixes = props.deployment().statementPrefixes().stream()
        .map(prefix -> Map.of("prefix", prefix + "/")).toList();
    Rule.Builder.create(this, "StatementStatusChanged")
        .description("mbl: a Data API statement of mbl finished, failed or was aborted -> NextLoader")
        .eventPattern(EventPattern.builder()
            .source(List.of(STATUS_SOURCE))
            .detailType(List.of(STATUS_DETAIL_TYPE))
            .detail(Map.of("state", FINAL_STATES, "statementName", prefixes))
            .build())
        .targets(List.of(LambdaFunction.Builder.create(props.nextLoader())
            .retryAttempts(8).maxEventAge(Duration.hours(2)).deadLetterQueue(props.failures()).build()))
        .build();

    // A missed minute is made up by the next one: no retries, no dead letters, neither here nor in
    // Lambda's asynchronous invocation (the reconcile alias has none), so AsyncFailures holds only
    // status events and bulk runs that were really lost.
    Rule.Builder.create(this, "Reconcile")
        .description("mbl: every minute NextLoader repairs what a lost event or a crash left behind")
        .schedule(Schedule.rate(Duration.minutes(1)))
        .targets(List.of(LambdaFunction.Builder.create(props.reconcile())
            .retryAttempts(0).maxEventAge(Duration.minutes(1)).build()))
        .build();

    for (TableSpec table : props.deployment().tables()) {
      table.bulk().ifPresent(bulk -> bulkSchedule(table, bulk, props));
    }
  }

  private void bulkSchedule(TableSpec table, BulkSchedule bulk, Props props) {
    String prefix = bulk.absolute() ? bulk.prefix()
        : "s3://" + props.landingBucketName().apply(table) + "/" + bulk.prefix();
    software.amazon.awscdk.services.scheduler.Schedule.Builder.create(this, "Bulk-" + table.name())
        .description("mbl: BulkLoader loads " + table.name() + "'s " + bulk.prefix())
        .schedule(ScheduleExpression.expression(bulk.expression(), TimeZone.of(bulk.timeZone())))
        .target(LambdaInvoke.Builder.create(props.bulkLoader())
            .input(ScheduleTargetInput.fromObject(bulkInput(table.name(), prefix, bulk.timeZone())))
            .retryAttempts(2)
            .maxEventAge(Duration.hours(1))
            .deadLetterQueue(props.failures())
            .build())
        .build();
  }

  /** BulkLoader's schedule input: {@code {"tables":[{"config":name,"prefix":...}],"time_zone":...}}. */
  static Map<String, Object> bulkInput(String queueName, String prefix, String timeZone) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("config", queueName);
    entry.put("prefix", prefix);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("tables", List.of(entry));
    input.put("time_zone", timeZone);
    return input;
  }
}
