package dev.mbl.load;

import java.util.Objects;

/** One SQS message as the loader needs it: id, the queue's ARN and the body. */
public record QueueMessage(String messageId, String eventSourceArn, String body) {
  public QueueMessage {
    Objects.requireNonNull(messageId, "messageId");
  }
}
