package dev.mbl.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void excerpt_longValue_cutToEightyCharacters() {
    String excerpt = Json.excerpt("x".repeat(500));

    assertThat(excerpt).hasSize(Json.MAX_EXCERPT).startsWith("'xxx").endsWith("...'");
  }

  @Test
  void excerpt_whitespaceAndNull_flattenedAndNamed() {
    assertThat(Json.excerpt("  a\n\t b  ")).isEqualTo("'a b'");
    assertThat(Json.excerpt(null)).isEqualTo("null");
  }
}
