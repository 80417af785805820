package dev.mbl.local.sqs;

import java.util.Objects;

/**
 * One queue: its name, URL (for the API) and ARN (for redrive policies and event source ARNs).
 *
 * @param deadLetterQueue where messages go after {@code maxReceiveCount} receives; null when none
 * @param maxReceiveCount receives before a message moves to the dead-letter queue; 0 when none
 */
public record SqsQueue(String name, String url, String arn, SqsQueue deadLetterQueue, int maxReceiveCount) {
  public SqsQueue {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(arn, "arn");
    if ((deadLetterQueue == null) != (maxReceiveCount == 0) || maxReceiveCount < 0) {
      throw new IllegalArgumentException("queue " + name + " has maxReceiveCount " + maxReceiveCount
          + (deadLetterQueue == null ? " but no dead-letter queue" : " with a dead-letter queue") 
          + ": give both or neither");
    }
  }
}
