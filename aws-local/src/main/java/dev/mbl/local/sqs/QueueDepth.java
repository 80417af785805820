package dev.mbl.local.sqs;

/** A queue's approximate message counts, as SQS reports them. */
public record QueueDepth(long visible, long inFlight, long delayed) {
  /** Every message still in the queue, whatever its state. */
  public long total() {
    return visible + inFlight + delayed;
  }
}
