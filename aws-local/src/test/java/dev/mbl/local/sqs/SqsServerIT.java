package dev.mbl.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsServerIT {
  private static SqsServer sqs;

  @BeforeAll
  static void start() {
    sqs = SqsServer.start("eu-west-1", "123456789012",
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret")));
  }

  @AfterAll
  static void stop() {
    sqs.close();
  }

  @Test
  void createQueueWithDeadLetterQueue_givenNames_arnsInRegionAndAccountAndRedrivePolicySet() {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("orders", Duration.ofSeconds(7), 3);

    assertThat(queue.arn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:orders");
    assertThat(queue.deadLetterQueue().arn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:orders-dlq");
    assertThat(queue.url()).startsWith(sqs.endpoint().toString()).endsWith("/orders");
    var attributes = sqs.client().getQueueAttributes(g -> g.queueUrl(queue.url())
        .attributeNames(QueueAttributeName.ALL)).attributes();
    assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("7");
    assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
        .contains("arn:aws:sqs:eu-west-1:123456789012:orders-dlq").contains("3");
  }

  @Test
  void receive_moreThanMaxReceiveCountTimes_elasticMqMovesMessageToDeadLetterQueue() throws Exception {
    SqsQueue queue = sqs.createQueueWithDeadLetterQueue("redriven", Duration.ofSeconds(1), 2);
    sqs.client().sendMessage(s -> s.queueUrl(queue.url()).messageBody("poison"));

    List<String> counts = new java.util.ArrayList<>();
    for (int attempt = 0; attempt < 10 && counts.size() < 2; attempt++) {
      List<Message> got = receive(queue.url(), 1);
      got.forEach(m -> counts.add(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)));
    }
    assertThat(counts).containsExactly("1", "2");

    // The third receive finds the message over its limit: SQS (and ElasticMQ) redrive it instead.
    assertThat(receive(queue.url(), 2)).isEmpty();
    List<Message> dead = receive(queue.deadLetterQueue().url(), 1);
    assertThat(dead).extracting(Message::body).containsExactly("poison");
    assertThat(sqs.depth(queue.url()).total()).isZero();
  }

  private static List<Message> receive(String url, int waitSeconds) {
    return sqs.client().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(waitSeconds)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }
}
