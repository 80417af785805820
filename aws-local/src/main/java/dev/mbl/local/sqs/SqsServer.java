package dev.mbl.local.sqs;

import dev.mbl.local.logging.QuietLogging;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS on a free loopback port: ElasticMQ, which speaks the SDK's JSON protocol and moves a
 * message to the queue's dead-letter queue once it has been received {@code maxReceiveCount}
 * times, as SQS does. Queue ARNs are {@code arn:aws:sqs:{region}:{account}:{name}}.
 */
public final class SqsServer implements AutoCloseable {
  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient client;
  private final String region;
  private final String account;

  private SqsServer(SQSRestServer server, int port, String region, String account, AwsCredentialsProvider credentials) {
    this.server = server;
    this.region = region;
    this.account = account;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.client = SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
        .endpointOverride(endpoint).build();
  }

  /**
   * Starts ElasticMQ.
   *
   * @param region the region in queue ARNs
   * @param account the 12-digit account in queue ARNs
   * @param credentials what the server's own client signs with (ElasticMQ accepts any)
   */
  public static SqsServer start(String region, String account, AwsCredentialsProvider credentials) {
    QuietLogging.apply();
    Objects.requireNonNull(region, "region");
    if (account == null || !account.matches("\\d{12}")) {
      throw new IllegalArgumentException("account '" + account + "' is not 12 digits: queue ARNs need one");
    }
    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
        .withAWSRegion(region).withAWSAccountId(account).start();
    int port;
    try {
      port = server.waitUntilStarted().localAddress().getPort();
    } catch (RuntimeException e) {
      server.stopAndWait();
      throw new IllegalStateException("cannot start ElasticMQ on a free loopback port: " + e.getMessage(), e);
    }
    return new SqsServer(server, port, region, account, credentials);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client of this server (owned by it: do not close). */
  public SqsClient client() {
    return client;
  }

  public String region() {
    return region;
  }

  public String account() {
    return account;
  }

  /** The ARN SQS gives queue {@code name}. */
  public String arnOf(String name) {
    return "arn:aws:sqs:" + region + ":" + account + ":" + name;
  }

  /** Creates (or finds) a queue without a dead-letter queue. */
  public SqsQueue createQueue(String name, Duration visibilityTimeout) {
    String url = client.createQueue(c -> c.queueName(name).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilityTimeout.toSeconds())))).queueUrl();
    return new SqsQueue(name, url, arn(url), null, 0);
  }

  /**
   * Creates (or finds) queue {@code name} and its dead-letter queue {@code name-dlq}, joined by a
   * redrive policy.
   *
   * @param visibilityTimeout how long a received message stays invisible (whole seconds)
   * @param maxReceiveCount receives before a message moves to the dead-letter queue (1 to 1000)
   */
  public SqsQueue createQueueWithDeadLetterQueue(String name, Duration visibilityTimeout, int maxReceiveCount) {
    if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new IllegalArgumentException("maxReceiveCount " + maxReceiveCount + " for queue " + name
          + " is outside 1..1000 (SQS's range)");
    }
    SqsQueue dlq = createQueue(name + "-dlq", Duration.ofSeconds(30));
    String redrive = "{\"deadLetterTargetArn\":\"" + dlq.arn() + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
    String url = client.createQueue(c -> c.queueName(name).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilityTimeout.toSeconds()),
        QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
    return new SqsQueue(name, url, arn(url), dlq, maxReceiveCount);
  }

  /** Messages visible, in flight and delayed (approximate, as SQS reports them). */
  public QueueDepth depth(String queueUrl) {
    Map<QueueAttributeName, String> attributes = client.getQueueAttributes(g -> g.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return new QueueDepth(
        Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
        Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")),
        Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0")));
  }

  private String arn(String url) {
    return client.getQueueAttributes(g -> g.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.stopAndWait();
    }
  }
}
