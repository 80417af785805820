package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.local.s3.S3Server;
import dev.mbl.sql.Identifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ConfigSource against S3Proxy: the real SDK client, real GetObject and real S3 errors. */
class ConfigSourceIT {
  private static final String BUCKET = "mbl-config";
  private static final QueueConfigLocator LOCATOR = new QueueConfigLocator(BUCKET, "queues/");
  private static final InlineConfigStore NO_INLINE = new InlineConfigStore() {
    @Override
    public Optional<byte[]> find(String sha256) {
      return Optional.empty();
    }

    @Override
    public void save(String sha256, byte[] json) {
      throw new UnsupportedOperationException("this test stores no inline configs");
    }
  };

  private static S3Server s3;

  @BeforeAll
  static void startS3() {
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Test
  void load_configUploadedForQueue_parsedFromS3() {
    s3.put(BUCKET, "queues/orders.json", ConfigParserTest.resource("seed-orders.json"));
    ConfigRef ref = LOCATOR.forQueueArn("arn:aws:sqs:us-east-1:123456789012:orders");

    TableConfig config = ConfigSource.create(s3.client(), NO_INLINE).load(ref);

    assertThat(config.source()).isEqualTo(ConfigRef.s3(BUCKET, "queues/orders.json"));
    assertThat(config.mode()).isEqualTo(LoadMode.MERGE);
    assertThat(config.mergeKeys()).containsExactly(Identifier.of("order_id"));
    assertThat(config.copyOptions().clauses()).containsExactly("FORMAT AS CSV", "IGNOREHEADER 1");
  }

  @Test
  void load_objectReplacedAfterTtl_seesTheNewVersion() {
    s3.put(BUCKET, "queues/clicks.json", ConfigParserTest.minimalFor("clicks"));
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    ConfigSource source = ConfigSource.builder().s3(s3.client()).inline(NO_INLINE).clock(clock)
        .ttl(Duration.ofMinutes(5)).build();
    ConfigRef ref = ConfigRef.s3(BUCKET, "queues/clicks.json");
    source.load(ref);

    s3.put(BUCKET, "queues/clicks.json", ConfigParserTest.minimalFor("clicks_v2"));
    TableConfig cached = source.load(ref);
    clock.advance(Duration.ofMinutes(5));
    TableConfig fresh = source.load(ref);

    assertThat(cached.table().toString()).isEqualTo("public.clicks");
    assertThat(fresh.table().toString()).isEqualTo("public.clicks_v2");
  }

  @Test
  void load_noObject_throwsNotFoundSayingWhatToUpload() {
    ConfigRef ref = LOCATOR.forQueueArn("arn:aws:sqs:us-east-1:123456789012:nobody");

    assertThatThrownBy(() -> ConfigSource.create(s3.client(), NO_INLINE).load(ref))
        .isInstanceOf(ConfigNotFoundException.class)
        .hasMessage("config s3://mbl-config/queues/nobody.json was not found: there is no object "
            + "'queues/nobody.json' in bucket 'mbl-config'; fix: upload the table's config JSON to "
            + "s3://mbl-config/queues/nobody.json (see config-samples/orders.json)");
  }

  @Test
  void load_noBucket_throwsNotFoundNamingTheBucket() {
    assertThatThrownBy(() -> ConfigSource.create(s3.client(), NO_INLINE).load(ConfigRef.s3("no-such-bucket", "x.json")))
        .isInstanceOf(ConfigNotFoundException.class)
        .hasMessageContaining("bucket 'no-such-bucket' does not exist");
  }

  @Test
  void load_invalidObject_throwsInvalidConfigNamingTheS3Key() {
    s3.put(BUCKET, "queues/broken.json", "{\"copy\":{\"table_name\":\"x;y\",\"role_arn\":\"default\"},"
        .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> ConfigSource.create(s3.client(), NO_INLINE).load(ConfigRef.s3(BUCKET, "queues/broken.json")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("config s3://mbl-config/queues/broken.json is invalid (1 problem):\n"
            + "  - $: the JSON is malformed at line 1");
  }
}
