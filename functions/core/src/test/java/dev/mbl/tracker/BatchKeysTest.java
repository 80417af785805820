package dev.mbl.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchKeysTest {
  @Test
  void pack_workKeys_roundTripIn22BytesEach() {
    List<String> keys = List.of(TrackerItems.workKey(1_795_255_200_000L, "89903641dc273e5c361bf46ede5ef5a5"),
        TrackerItems.workKey(0L, "00000000000000000000000000000000"),
        TrackerItems.workKey(9_999_999_999_999L, "ffffffffffffffffffffffffffffffff"));

    byte[] packed = BatchKeys.pack(keys);

    assertThat(packed).hasSize(66);
    assertThat(BatchKeys.unpack(packed)).containsExactlyElementsOf(keys);
  }

  @Test
  void unpack_truncatedItem_failsNamingTheSize() {
    assertThatThrownBy(() -> BatchKeys.unpack(new byte[23])).hasMessageContaining("23 bytes, not a multiple of 22");
  }

  @Test
  void pack_keyOfAnotherShape_isRefused() {
    assertThatThrownBy(() -> BatchKeys.pack(List.of("WORK#12#abc"))).hasMessageContaining("not a work key");
  }
}
