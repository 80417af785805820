package dev.mbl.local.latency;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How slow the local stand-ins are, so that a run on this machine has AWS's cost structure:
 * {@link #FAST} (the default; tests) answers at once, {@link #REALISTIC} adds the latencies and
 * fixed costs of the real services (sources in docs/performance.md, "Latency profiles").
 *
 * @param name the switch's value ({@code fast}, {@code realistic})
 * @param dataApiRequest each Redshift Data API call's round trip (ExecuteStatement, BatchExecuteStatement,
 *     DescribeStatement, ListStatements, GetStatementResult, DescribeTable), added by the emulator before it answers
 * @param queueing from a submitted statement to its start on the warehouse (compilation, WLM queue)
 * @param transaction fixed cost of each executed statement batch (one transaction), commit included
 * @param copy fixed cost of each COPY (listing the manifest, starting the slices)
 * @param scanPerMb time per MiB of COPY input (on top of {@link #copy})
 * @param eventDelivery from a statement's end to its status-change event reaching its target (EventBridge)
 * @param dynamoRequest each DynamoDB request's round trip, at the handlers' client
 * @param s3Request each S3 request's round trip, at the handlers' client
 * @param sqsReceive added to each SQS receive of the Lambda event source pollers (delivery latency)
 */
public record LatencyProfile(String name, Duration dataApiRequest, Duration queueing, Duration transaction,
    Duration copy, Duration scanPerMb, Duration eventDelivery, Duration dynamoRequest, Duration s3Request,
    Duration sqsReceive) {

  /** Every stand-in as fast as it can: the default, and what the tests use. */
  public static final LatencyProfile FAST = new LatencyProfile("fast", Duration.ZERO, Duration.ZERO, Duration.ZERO,
      Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** AWS's latencies and Redshift's fixed costs; every figure is sourced in docs/performance.md. */
  public static final LatencyProfile REALISTIC = new LatencyProfile("realistic", Duration.ofMillis(100),
      Duration.ofMillis(500), Duration.ofMillis(1_500), Duration.ofMillis(1_000), Duration.ofMillis(10),
      Duration.ofMillis(500), Duration.ofMillis(8), Duration.ofMillis(20), Duration.ofMillis(20));

  public LatencyProfile {
    Objects.requireNonNull(name, "name");
    for (Duration d : new Duration[] {dataApiRequest, queueing, transaction, copy, scanPerMb, eventDelivery,
        dynamoRequest, s3Request, sqsReceive}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("latency profile '" + name + "': every figure must be zero or more");
      }
    }
  }

  /** The profile a switch names: {@code fast} or {@code realistic} (case-insensitive). */
  public static LatencyProfile named(String value) {
    String wanted = Objects.requireNonNull(value, "value").trim().toLowerCase(Locale.ROOT);
    return switch (wanted) {
      case "fast" -> FAST;
      case "realistic" -> REALISTIC;
      default -> throw new IllegalArgumentException("unknown latency profile '" + value
          + "': use fast (the stand-ins answer at once) or realistic (AWS's latencies and Redshift's fixed costs)");
    };
  }

  /** True when nothing is added anywhere. */
  public boolean isFast() {
    return this.equals(FAST) || (dataApiRequest.isZero() && queueing.isZero() && transaction.isZero()
        && copy.isZero() && scanPerMb.isZero() && eventDelivery.isZero() && dynamoRequest.isZero()
        && s3Request.isZero() && sqsReceive.isZero());
  }
}
