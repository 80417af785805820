package dev.mbl.cli.ops;

import dev.mbl.tracker.TableRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** A table queue's dead-letter queue ({@code <queue>-dlq}, as infra and the local stack name it). */
final class DeadLetters {
  static final String SUFFIX = "-dlq";
  private final SqsClient sqs;
  private final OpsSession session;

  DeadLetters(OpsSession session) {
    this.session = session;
    this.sqs = session.sqs();
  }

  /** Messages waiting in the table's dead-letter queue; null when the table has no queue mbl knows. */
  Integer depth(TableRegistration table) {
    Optional<String> url = url(table, SUFFIX);
    if (url.isEmpty()) {
      return null;
    }
    var attributes = sqs.getQueueAttributes(g -> g.queueUrl(url.get())
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, 
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
        + Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
  }

  /** Up to {@code max} dead letters, left in the queue (visible again after {@code hideSeconds}). */
  List<Message> peek(TableRegistration table, int max, int hideSeconds) {
    String url = require(table, SUFFIX);
    List<Message> seen = new ArrayList<>();
    while (seen.size() < max) {
      var batch = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(Math.min(10, max - seen.size()))
          .visibilityTimeout(hideSeconds).waitTimeSeconds(0)).messages();
      if (batch.isEmpty()) {
        break;
      }
      seen.addAll(batch);
    }
    return seen;
  }

  /** Moves every dead letter back to the table's queue (send, then delete); returns how many moved. */
  int redrive(TableRegistration table, java.util.function.IntConsumer progress) {
    String dlq = require(table, SUFFIX);
    String queue = require(table, "");
    int moved = 0;
    while (true) {
      var batch = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(60)
          .waitTimeSeconds(0)).messages();
      if (batch.isEmpty()) {
        return moved;
      }
      for (Message message : batch) {
        sqs.sendMessage(s -> s.queueUrl(queue).messageBody(message.body()));
        sqs.deleteMessage(d -> d.queueUrl(dlq).receiptHandle(message.receiptHandle()));
        progress.accept(++moved);
      }
    }
  }

  private String require(TableRegistration table, String suffix) {
    return url(table, suffix).orElseThrow(() -> new UsageException("table " + table.table() + " has no queue mbl "
        + "knows (its config is not s3://.../<queue>.json): nothing to show or re-drive"));
  }

  private Optional<String> url(TableRegistration table, String suffix) {
    Optional<String> queue = session.queueName(table);
    if (queue.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(sqs.getQueueUrl(g -> g.queueName(queue.get() + suffix)).queueUrl());
    } catch (QueueDoesNotExistException missing) {
      return Optional.empty();
    }
  }
}
