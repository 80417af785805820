package dev.mbl.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlLiteralTest {
  @Test
  void quote_plainText_wrapsInSingleQuotes() {
    assertThat(SqlLiteral.quote("s3://bucket/key")).isEqualTo("'s3://bucket/key'");
  }

  @Test
  void quote_singleQuotesAndTab_doublesQuotesKeepsTab() {
    assertThat(SqlLiteral.quote("it's\t'x'")).isEqualTo("'it''s\t''x'''");
  }

  @Test
  void quote_empty_givesEmptyLiteral() {
    assertThat(SqlLiteral.quote("")).isEqualTo("''");
  }

  @Test
  void quote_backslash_throwsNamingPosition() {
    assertThatThrownBy(() -> SqlLiteral.quote("ab\\"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("contains a backslash at position 2");
  }

  @Test
  void quote_nul_throwsNamingCodePoint() {
    assertThatThrownBy(() -> SqlLiteral.quote("a\u0000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("contains control character U+0000 at position 1: remove it");
  }

  @Test
  void quote_newlineOrDelete_throws() {
    assertThatThrownBy(() -> SqlLiteral.quote("a\nb")).hasMessageContaining("U+000A");
    assertThatThrownBy(() -> SqlLiteral.quote("a\u007fb")).hasMessageContaining("U+007F");
  }
}
