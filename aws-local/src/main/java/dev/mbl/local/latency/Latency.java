package dev.mbl.local.latency;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link LatencyProfile} applied through {@link Pauses}: the stand-ins ask it for each cost by
 * name. A figure of zero asks for no pause at all, so {@link #NONE} (the fast profile) leaves
 * every stand-in exactly as fast as without it.
 */
public record Latency(LatencyProfile profile, Pauses pauses) {
  /** The fast profile: nothing is ever paused. */
  public static final Latency NONE = new Latency(LatencyProfile.FAST, Pauses.SLEEP);

  private static final double MIB = 1024.0 * 1024.0;

  public Latency {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(pauses, "pauses");
  }

  /** {@code profile} with real sleeps. */
  public static Latency of(LatencyProfile profile) {
    return profile.isFast() ? NONE : new Latency(profile, Pauses.SLEEP);
  }

  /** True when nothing is ever paused. */
  public boolean isNone() {
    return profile.isFast();
  }

  /** One Data API call's round trip, before the emulator answers. */
  public void dataApiRequest() {
    pause(profile.dataApiRequest());
  }

  /** A submitted statement's wait before it starts (compilation, WLM queue). */
  public void queueing() {
    pause(profile.queueing());
  }

  /** One transaction's fixed cost, paid when it commits. */
  public void transaction() {
    pause(profile.transaction());
  }

  /** One COPY: its fixed cost plus the scan of {@code inputBytes} bytes, as one pause. */
  public void copy(long inputBytes) {
    pause(copyCost(inputBytes));
  }

  /** What {@link #copy(long)} asks for: {@code copy + scanPerMb x inputBytes / MiB}. */
  public Duration copyCost(long inputBytes) {
    if (inputBytes < 0) {
      throw new IllegalArgumentException("COPY input of " + inputBytes + " bytes: give 0 or more");
    }
    long scanNanos = Math.round(profile.scanPerMb().toNanos() * (inputBytes / MIB));
    return profile.copy().plusNanos(scanNanos);
  }

  /** From a statement's status event to its delivery to the rule's target. */
  public void eventDelivery() {
    pause(profile.eventDelivery());
  }

  /** One DynamoDB request's round trip. */
  public void dynamoRequest() {
    pause(profile.dynamoRequest());
  }

  /** One S3 request's round trip. */
  public void s3Request() {
    pause(profile.s3Request());
  }

  /** Event source mapping delivery latency, added to each SQS receive that returns messages. */
  public void sqsReceive() {
    pause(profile.sqsReceive());
  }

  private void pause(Duration duration) {
    if (!duration.isZero()) {
      pauses.pause(duration);
    }
  }
}
