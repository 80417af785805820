package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QueueConfigLocatorTest {

  @ParameterizedTest
  @CsvSource({
      "configs/, arn:aws:sqs:eu-west-1:123456789012:orders, s3://mbl-config/configs/orders.json",
      "'', arn:aws:sqs:us-east-1:123456789012:clicks-append, s3://mbl-config/clicks-append.json",
      "queues/mbl-, arn:aws-us-gov:sqs:us-gov-west-1:123456789012:events_v2.fifo, "
          + "s3://mbl-config/queues/mbl-events_v2.fifo.json"})
  void forQueueArn_sqsArn_mapsToQueueNameUnderPrefix(String prefix, String arn, String expected) {
    assertThat(new QueueConfigLocator("mbl-config", prefix).forQueueArn(arn)).isEqualTo(new ConfigRef(expected));
  }

  @Test
  void forQueueArn_nullPrefix_usesBucketRoot() {
    ConfigRef ref = new QueueConfigLocator("mbl-config", null).forQueueArn("arn:aws:sqs:eu-west-1:123456789012:orders");

    assertThat(ref.bucket()).isEqualTo("mbl-config");
    assertThat(ref.key()).isEqualTo("orders.json");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"arn:aws:sns:eu-west-1:123456789012:orders", "arn:aws:sqs:eu-west-1:123456789012",
      "https://sqs.eu-west-1.amazonaws.com/123456789012/orders", "arn:aws:sqs:eu-west-1:123456789012:../x",
      "arn:aws:sqs:eu-west-1:123456789012:orders/x", ""})
  void forQueueArn_notAnSqsQueueArn_rejectedClearly(String arn) {
    QueueConfigLocator locator = new QueueConfigLocator("mbl-config", "configs/");

    assertThatThrownBy(() -> locator.forQueueArn(arn))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "s3://mbl-config", "mbl-config/configs"})
  void new_badBucket_rejected(String bucket) {
    assertThatThrownBy(() -> new QueueConfigLocator(bucket, "configs/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a bucket name");
  }

  @Test
  void new_prefixStartingWithSlash_rejected() {
    assertThatThrownBy(() -> new QueueConfigLocator("mbl-config", "/configs/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts with '/'");
  }
}
