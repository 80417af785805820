package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

class ConfigSourceTest {
  private static final ConfigRef ORDERS = ConfigRef.s3("configs", "orders.json");

  /** The S3 objects the fake serves, and every key it was asked for. */
  private final Map<String, byte[]> objects = new HashMap<>();
  private final List<String> fetched = new ArrayList<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
  private final MapInlineStore inline = new MapInlineStore();
  private S3Client s3;

  @BeforeEach
  void fakeS3() {
    s3 = mock(S3Client.class);
    when(s3.getObjectAsBytes(any(GetObjectRequest.class))).thenAnswer(call -> {
      GetObjectRequest request = call.getArgument(0);
      fetched.add(request.bucket() + "/" + request.key());
      if (request.bucket().equals("missing-bucket")) {
        throw NoSuchBucketException.builder().message("The specified bucket does not exist").build();
      }
      byte[] body = objects.get(request.key());
      if (body == null) {
        throw NoSuchKeyException.builder().message("The specified key does not exist.").build();
      }
      return ResponseBytes.fromByteArray(GetObjectResponse.builder().build(), body);
    });
  }

  @Test
  void load_withinTtl_fetchesOnce() {
    objects.put("orders.json", ConfigParserTest.minimalFor("orders"));
    ConfigSource source = source(Duration.ofMinutes(5), 256);

    TableConfig first = source.load(ORDERS);
    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    TableConfig second = source.load(ORDERS);

    assertThat(second).isSameAs(first);
    assertThat(first.table().toString()).isEqualTo("public.orders");
    assertThat(fetched).containsExactly("configs/orders.json");
  }

  @Test
  void load_afterTtl_fetchesAgainAndSeesTheEdit() {
    objects.put("orders.json", ConfigParserTest.minimalFor("orders"));
    ConfigSource source = source(Duration.ofMinutes(5), 256);
    source.load(ORDERS);
    objects.put("orders.json", ConfigParserTest.minimalFor("orders_v2"));

    clock.advance(Duration.ofMinutes(5));
    TableConfig edited = source.load(ORDERS);

    assertThat(edited.table().toString()).isEqualTo("public.orders_v2");
    assertThat(fetched).containsExactly("configs/orders.json", "configs/orders.json");
  }

  @Test
  void load_zeroTtl_fetchesEveryTime() {
    objects.put("orders.json", ConfigParserTest.minimalFor("orders"));
    ConfigSource source = source(Duration.ZERO, 256);

    source.load(ORDERS);
    source.load(ORDERS);

    assertThat(fetched).hasSize(2);
  }

  @Test
  void load_moreRefsThanEntries_evictsLeastRecentlyUsed() {
    for (String table : List.of("a", "b", "c")) {
      objects.put(table + ".json", ConfigParserTest.minimalFor(table));
    }
    ConfigSource source = source(Duration.ofMinutes(5), 2);

    source.load(ConfigRef.s3("configs", "a.json"));
    source.load(ConfigRef.s3("configs", "b.json"));
    source.load(ConfigRef.s3("configs", "a.json"));
    source.load(ConfigRef.s3("configs", "c.json"));
    source.load(ConfigRef.s3("configs", "a.json"));
    source.load(ConfigRef.s3("configs", "b.json"));

    assertThat(fetched).containsExactly("configs/a.json", "configs/b.json", "configs/c.json", "configs/b.json");
  }

  @Test
  void load_twoInstances_doNotShareACache() {
    objects.put("orders.json", ConfigParserTest.minimalFor("orders"));

    source(Duration.ofMinutes(5), 256).load(ORDERS);
    source(Duration.ofMinutes(5), 256).load(ORDERS);

    assertThat(fetched).hasSize(2);
  }

  @Test
  void load_missingObject_throwsNotFoundNamingBucketAndKey() {
    ConfigSource source = source(Duration.ofMinutes(5), 256);

    assertThatThrownBy(() -> source.load(ORDERS))
        .isInstanceOf(ConfigNotFoundException.class)
        .hasMessage("config s3://configs/orders.json was not found: there is no object 'orders.json' in bucket "
            + "'configs'; fix: upload the table's config JSON to s3://configs/orders.json "
            + "(see config-samples/orders.json)")
        .extracting(e -> ((ConfigNotFoundException) e).ref()).isEqualTo(ORDERS);
  }

  @Test
  void load_missingBucket_throwsNotFoundNamingBucket() {
    assertThatThrownBy(() -> source(Duration.ofMinutes(5), 256).load(ConfigRef.s3("missing-bucket", "x.json")))
        .isInstanceOf(ConfigNotFoundException.class)
        .hasMessageStartingWith("config s3://missing-bucket/x.json was not found: bucket 'missing-bucket' "
            + "does not exist; fix: upload");
  }

  @Test
  void load_invalidConfig_throwsAndIsNotCached() {
    objects.put("orders.json", "{\"copy\":{}}".getBytes(StandardCharsets.UTF_8));
    ConfigSource source = source(Duration.ofMinutes(5), 256);

    assertThatThrownBy(() -> source.load(ORDERS))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("config s3://configs/orders.json is invalid (3 problems)");
    objects.put("orders.json", ConfigParserTest.minimalFor("orders"));

    assertThat(source.load(ORDERS).table().toString()).isEqualTo("public.orders");
    assertThat(fetched).hasSize(2);
  }

  @Test
  void load_inlineRef_readsTheStoreAndCaches() {
    byte[] json = ConfigParserTest.minimalFor("bulk_orders");
    ConfigRef ref = ConfigSource.inlineRef(json);
    inline.save(ref.key(), json);
    ConfigSource source = source(Duration.ofMinutes(5), 256);

    TableConfig config = source.load(ref);
    source.load(ref);

    assertThat(config.table().toString()).isEqualTo("public.bulk_orders");
    assertThat(config.source()).isEqualTo(ref);
    assertThat(inline.finds).isEqualTo(1);
    assertThat(fetched).isEmpty();
  }

  @Test
  void load_inlineRefNotStored_throwsNotFound() {
    ConfigRef ref = ConfigRef.inline("ab".repeat(32));

    assertThatThrownBy(() -> source(Duration.ofMinutes(5), 256).load(ref))
        .isInstanceOf(ConfigNotFoundException.class)
        .hasMessageStartingWith("config inline:" + "ab".repeat(32) + " was not found: no inline config is stored");
  }

  @Test
  void inlineRef_bytes_isSha256Hex() {
    assertThat(ConfigSource.inlineRef("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(ConfigRef.inline("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  }

  @Test
  void builder_badSettings_rejected() {
    assertThatThrownBy(() -> ConfigSource.builder().s3(s3).inline(inline).maxEntries(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("config cache size is 0: use 1 or more");
    assertThatThrownBy(() -> ConfigSource.builder().s3(s3).inline(inline).ttl(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("config cache TTL is PT-1S");
    assertThatThrownBy(() -> ConfigSource.builder().inline(inline).build())
        .isInstanceOf(NullPointerException.class).hasMessage("s3");
  }

  private ConfigSource source(Duration ttl, int maxEntries) {
    return ConfigSource.builder().s3(s3).inline(inline).clock(clock).ttl(ttl).maxEntries(maxEntries).build();
  }

  private static final class MapInlineStore implements InlineConfigStore {
    private final Map<String, byte[]> saved = new HashMap<>();
    private int finds;

    @Override
    public Optional<byte[]> find(String sha256) {
      finds++;
      return Optional.ofNullable(saved.get(sha256));
    }

    @Override
    public void save(String sha256, byte[] json) {
      saved.put(sha256, json);
    }
  }
}
