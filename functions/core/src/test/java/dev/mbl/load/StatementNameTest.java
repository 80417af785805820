package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.sql.TableName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementNameTest {
  private static final TableKey TABLE = new TableKey("analytics", "dev", TableName.of("sales", "orders"));
  private static final String BATCH = "01HZX3K7M2Q4R6T8V0W2Y4A6C8";

  @Test
  void toString_prefixTableBatch_slashSeparated() {
    assertThat(new StatementName("mbl", TABLE, BATCH))
        .hasToString("mbl/analytics/dev/sales.orders/01HZX3K7M2Q4R6T8V0W2Y4A6C8");
  }

  @Test
  void parse_toString_roundTrips() {
    StatementName name = new StatementName("mbl", TABLE, BATCH);

    assertThat(StatementName.parse(name.toString())).contains(name);
  }

  @Test
  void parse_prefixWithSlashes_readsFromTheRight() {
    StatementName name = new StatementName("mbl/prod/eu", TABLE, BATCH);

    assertThat(StatementName.parse(name.toString())).hasValueSatisfying(parsed -> {
      assertThat(parsed.prefix()).isEqualTo("mbl/prod/eu");
      assertThat(parsed.table()).isEqualTo(TABLE);
      assertThat(parsed.batchId()).isEqualTo(BATCH);
    });
  }

  @Test
  void forDiagnosis_batchName_suffixedAndParsedAsTheBatchsDiagnosis() {
    StatementName diagnosis = new StatementName("mbl/prod", TABLE, BATCH).forDiagnosis();

    assertThat(diagnosis).hasToString("mbl/prod/analytics/dev/sales.orders/01HZX3K7M2Q4R6T8V0W2Y4A6C8.diagnosis");
    assertThat(StatementName.parse(diagnosis.toString())).hasValueSatisfying(parsed -> {
      assertThat(parsed.diagnosis()).isTrue();
      assertThat(parsed.batchId()).isEqualTo(BATCH);
      assertThat(parsed.table()).isEqualTo(TABLE);
    });
    assertThat(StatementName.parse("mbl/analytics/dev/sales.orders/" + BATCH)).get()
        .satisfies(parsed -> assertThat(parsed.diagnosis()).isFalse());
  }

  @Test
  void constructor_batchIdWithDot_rejected() {
    assertThatThrownBy(() -> new StatementName("mbl", TABLE, "01HZ.X"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'.'");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "nightly-refresh",
      "analytics/dev/sales.orders/01HZX3K7M2Q4R6T8V0W2Y4A6C8",
      "/analytics/dev/sales.orders/01HZX3K7M2Q4R6T8V0W2Y4A6C8",
      "mbl/analytics/dev/sales.orders/",
      "mbl/analytics//sales.orders/01HZX3K7M2Q4R6T8V0W2Y4A6C8",
      "mbl/analytics/dev/sales.orders.x/01HZX3K7M2Q4R6T8V0W2Y4A6C8",
      "mbl/analytics/dev/drop table;/01HZX3K7M2Q4R6T8V0W2Y4A6C8"})
  void parse_notOurs_empty(String name) {
    assertThat(StatementName.parse(name)).isEmpty();
  }

  @Test
  void constructor_batchIdWithSlash_rejected() {
    assertThatThrownBy(() -> new StatementName("mbl", TABLE, "01HZ/X"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch id");
  }

  @Test
  void constructor_emptyPrefixOrBatchId_rejected() {
    assertThatThrownBy(() -> new StatementName("", TABLE, BATCH)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StatementName("mbl", TABLE, "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_nullParts_rejectedNamingField() {
    assertThatThrownBy(() -> new StatementName(null, TABLE, BATCH)).hasMessage("prefix");
    assertThatThrownBy(() -> new StatementName("mbl", null, BATCH)).hasMessage("table");
    assertThatThrownBy(() -> new StatementName("mbl", TABLE, null)).hasMessage("batchId");
  }
}
