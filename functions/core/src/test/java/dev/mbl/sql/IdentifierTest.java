package dev.mbl.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** "Names and identifiers": any printable UTF-8 name up to 127 bytes, delimited with "" for ". */
class IdentifierTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "orders|\"orders\"",
      "Größe|\"Größe\"",
      "order date|\"order date\"",
      "a\"b|\"a\"\"b\"",
      "x\"; DROP TABLE t; --|\"x\"\"; DROP TABLE t; --\""})
  void quoted_anyName_delimitedWithQuotesDoubled(String name, String quoted) {
    assertThat(Identifier.exact(name).quoted()).isEqualTo(quoted);
  }

  @Test
  void of_plainName_foldedToLowerCase() {
    assertThat(Identifier.of("Orders")).isEqualTo(Identifier.exact("orders"));
    assertThatThrownBy(() -> Identifier.of("or ders")).hasMessageContaining("is not allowed");
  }

  @Test
  void exact_127BytesAllowed_128Rejected() {
    assertThat(Identifier.exact("é".repeat(63) + "x").value()).hasSize(64);
    assertThatThrownBy(() -> Identifier.exact("é".repeat(64)))
        .hasMessageContaining("is 128 bytes of UTF-8; Redshift names are at most 127 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\u0000b", "a\nb", "\ud800x"})
  void exact_emptyControlOrBrokenText_rejected(String name) {
    assertThatThrownBy(() -> Identifier.exact(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalsIgnoreCase_foldsMultibyteToo() {
    assertThat(Identifier.exact("GRÖSSE").equalsIgnoreCase(Identifier.exact("grösse"))).isTrue();
    assertThat(Identifier.exact("a").equalsIgnoreCase(Identifier.exact("b"))).isFalse();
  }
}
