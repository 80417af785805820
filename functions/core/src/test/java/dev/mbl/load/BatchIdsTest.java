package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchIdsTest {
  private static final String CROCKFORD = "[0-9A-HJKMNP-TV-Z]";
  private final BatchIds ids = new BatchIds();

  @Test
  void next_anyInstant_26CrockfordCharacters() {
    String id = ids.next(Instant.parse("2024-05-01T10:15:30.123Z"));

    assertThat(id).hasSize(26).matches(CROCKFORD + "{26}");
  }

  @Test
  void next_knownMillis_timePrefixAsUlidSpec() {
    // The ULID spec's example: 1469918176385 ms encodes as 01ARYZ6S41.
    assertThat(ids.next(Instant.ofEpochMilli(1469918176385L))).startsWith("01ARYZ6S41");
    assertThat(ids.next(Instant.EPOCH)).startsWith("0000000000");
  }

  @Test
  void next_laterMillisecond_sortsAfter() {
    Instant t = Instant.parse("2024-05-01T10:15:30.123Z");
    String previous = ids.next(t);
    for (int ms = 1; ms <= 1_000; ms++) {
      String later = ids.next(t.plusMillis(ms));
      assertThat(later).isGreaterThan(previous);
      previous = later;
    }
  }

  @Test
  void next_subMillisecondDifference_sameTimePrefix() {
    Instant t = Instant.parse("2024-05-01T10:15:30.123Z");

    assertThat(ids.next(t.plusNanos(999_999)).substring(0, 10)).isEqualTo(ids.next(t).substring(0, 10));
  }

  @Test
  void next_tenThousandInSameMillisecond_allDistinct() {
    Instant t = Instant.parse("2024-05-01T10:15:30.123Z");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      seen.add(ids.next(t));
    }

    assertThat(seen).hasSize(10_000);
  }
}
