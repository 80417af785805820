package dev.mbl.local;

import dev.mbl.local.lambda.SqsPoller;
import dev.mbl.local.s3.NotificationRule;
import dev.mbl.local.sqs.SqsQueue;
import java.util.Objects;

/**
 * One table wired into the local stack: its queue (with dead-letter queue), the notification
 * that feeds it, its config object and the MicrobatchLoader poller of its queue.
 *
 * @param configKey the config's key in the config bucket
 */
public record LocalTable(SqsQueue queue, NotificationRule notification, String configKey, SqsPoller poller) {
  public LocalTable {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(configKey, "configKey");
    Objects.requireNonNull(poller, "poller");
  }

  public String queueName() {
    return queue.name();
  }
}
