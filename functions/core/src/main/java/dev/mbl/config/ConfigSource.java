package dev.mbl.config;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Loads the {@link TableConfig} a {@link ConfigRef} points to: {@code s3://} refs with S3
 * GetObject, {@code inline:} refs from an {@link InlineConfigStore}. Parsed configs are kept in a
 * cache owned by this instance, bounded (least recently used entries leave first) and expiring,
 * so an edited config takes effect within the TTL (default {@link TableConfig#DEFAULT_CACHE_TTL}).
 * Failures are not cached. Thread-safe.
 */
public final class ConfigSource {
  public static final int DEFAULT_MAX_ENTRIES = 256;

  private final S3Client s3;
  private final InlineConfigStore inline;
  private final ConfigParser parser;
  private final Clock clock;
  private final Duration ttl;
  private final Map<ConfigRef, Cached> cache;

  private record Cached(TableConfig config, Instant expiresAt) {}

  private ConfigSource(Builder builder) {
    this.s3 = Objects.requireNonNull(builder.s3, "s3");
    this.inline = Objects.requireNonNull(builder.inline, "inline");
    this.parser = Objects.requireNonNull(builder.parser, "parser");
    this.clock = Objects.requireNonNull(builder.clock, "clock");
    this.ttl = Objects.requireNonNull(builder.ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("config cache TTL is " + ttl + ": use zero (no caching) or more");
    }
    int maxEntries = builder.maxEntries;
    if (maxEntries < 1) {
      throw new IllegalArgumentException("config cache size is " + maxEntries + ": use 1 or more");
    }
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<ConfigRef, Cached> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** A source with the default parser, system clock, TTL and cache size. */
  public static ConfigSource create(S3Client s3, InlineConfigStore inline) {
    return builder().s3(s3).inline(inline).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The config {@code ref} points to, from the cache while fresh.
   *
   * @throws ConfigNotFoundException when there is no config at {@code ref}
   * @throws InvalidConfigException when the config is there but invalid
   */
  public TableConfig load(ConfigRef ref) {
    Objects.requireNonNull(ref, "ref");
    Instant now = clock.instant();
    synchronized (cache) {
      Cached cached = cache.get(ref);
      if (cached != null && now.isBefore(cached.expiresAt())) {
        return cached.config();
      }
    }
    // Fetched outside the lock: two threads may both fetch a missing entry, which is harmless.
    TableConfig config = parser.parse(fetch(ref), ref);
    synchronized (cache) {
      cache.put(ref, new Cached(config, now.plus(ttl)));
    }
    return config;
  }

  /** The inline reference of a config given as JSON: {@code inline:} and the SHA-256 of the bytes. */
  public static ConfigRef inlineRef(byte[] canonicalJson) {
    Objects.requireNonNull(canonicalJson, "canonicalJson");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson);
      return ConfigRef.inline(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private byte[] fetch(ConfigRef ref) {
    if (ref.isInline()) {
      return inline.find(ref.key()).orElseThrow(() -> ConfigNotFoundException.inline(ref));
    }
    try {
      return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(ref.bucket()).key(ref.key()).build())
          .asByteArray();
    } catch (NoSuchKeyException e) {
      throw ConfigNotFoundException.s3(ref, false);
    } catch (NoSuchBucketException e) {
      throw ConfigNotFoundException.s3(ref, true);
    }
  }

  /** Builds a {@link ConfigSource}; {@code s3} and {@code inline} are required. */
  public static final class Builder {
    private S3Client s3;
    private InlineConfigStore inline;
    private ConfigParser parser = ConfigParser.create();
    private Clock clock = Clock.systemUTC();
    private Duration ttl = TableConfig.DEFAULT_CACHE_TTL;
    private int maxEntries = DEFAULT_MAX_ENTRIES;

    private Builder() {}

    public Builder s3(S3Client s3) {
      this.s3 = s3;
      return this;
    }

    public Builder inline(InlineConfigStore inline) {
      this.inline = inline;
      return this;
    }

    public Builder parser(ConfigParser parser) {
      this.parser = parser;
      return this;
    }

    /** The clock that decides expiry; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How long a config stays cached; default {@link TableConfig#DEFAULT_CACHE_TTL}; zero disables. */
    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    /** How many configs are cached at most; default {@link #DEFAULT_MAX_ENTRIES}. */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = maxEntries;
      return this;
    }

    public ConfigSource build() {
      return new ConfigSource(this);
    }
  }
}
