package dev.mbl.local.latency;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How slow the local stand-ins are, so that a run on this machine has AWS's cost structure:
 * {@link #FAST} (the default; tests) answers at once, {@link #REALISTIC} adds the latencies and
 * fixed costs of the real services. Each figure's source (or, where AWS and published
 * measurements give none, how it was chosen) is in docs/performance.md, "Latency profiles".
 * A figure of zero is never paused for: the fast profile leaves every stand-in as it was.
 *
 * <p>Where each figure is paid: the Data API emulator answers every call {@code dataApiRequest}
 * late; a statement waits {@code queueing} while PICKED, then, while STARTED, pays {@code copy}
 * plus {@code scanPerMb} per MiB of input (the S3 sizes of the files it reads) for each COPY and
 * {@code transaction} at each commit, so DescribeStatement's Duration includes them; the event bus
 * delivers each event {@code eventDelivery} after it was published, in publication order; the
 * handlers' S3 and DynamoDB clients pause {@code s3Request} / {@code dynamoRequest} before each
 * request (beneath any client wrap the caller gave); the Lambda SQS pollers pause
 * {@code sqsReceive} after each receive that returned messages.
 *
 * @param name the switch's value ({@code fast}, {@code realistic})
 * @param dataApiRequest each Redshift Data API call's round trip (ExecuteStatement, BatchExecuteStatement,
 *     DescribeStatement, ListStatements, GetStatementResult, CancelStatement, DescribeTable), added by the
 *     emulator before it answers
 * @param queueing from a submitted statement to its start on the warehouse (compilation, WLM admission)
 * @param transaction fixed cost of each transaction, paid at its commit
 * @param copy fixed cost of each COPY (listing the manifest, planning, starting the slices)
 * @param scanPerMb time per MiB of COPY input, as stored in S3 (on top of {@link #copy})
 * @param eventDelivery from a statement's end to its status-change event reaching the rule's target
 * @param dynamoRequest each DynamoDB request's round trip, at the handlers' client
 * @param s3Request each S3 request's round trip, at the handlers' client
 * @param sqsReceive the event source mapping's delivery latency, added to each SQS receive that returns messages
 */
public record LatencyProfile(String name, Duration dataApiRequest, Duration queueing, Duration transaction,
    Duration copy, Duration scanPerMb, Duration eventDelivery, Duration dynamoRequest, Duration s3Request,
    Duration sqsReceive) {

  /** Every stand-in as fast as it can: the default, and what the tests use. */
  public static final LatencyProfile FAST = new LatencyProfile("fast", Duration.ZERO, Duration.ZERO, Duration.ZERO,
      Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /**
   * AWS's latencies and Redshift's fixed costs, conservative (typical, not worst case): Data API
   * call 50 ms, queueing 200 ms, transaction 600 ms (STL_COMMIT_STATS's example commit), COPY
   * 1 s, scan 10 ms per MiB, event delivery 150 ms (measured EventBridge p50), DynamoDB 8 ms
   * ("single-digit millisecond"), S3 20 ms ("tens of milliseconds"), SQS receive 16 ms (measured
   * event source mapping p50). Sources and choices: docs/performance.md, "Latency profiles".
   */
  public static final LatencyProfile REALISTIC = new LatencyProfile("realistic", Duration.ofMillis(50),
      Duration.ofMillis(200), Duration.ofMillis(600), Duration.ofMillis(1_000), Duration.ofMillis(10),
      Duration.ofMillis(150), Duration.ofMillis(8), Duration.ofMillis(20), Duration.ofMillis(16));

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
