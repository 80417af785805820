package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.sql.TableName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableKeyTest {
  private static final TableKey KEY = new TableKey("analytics", "dev", TableName.of("sales", "orders"));

  @Test
  void toString_warehouseDatabaseTable_slashSeparated() {
    assertThat(KEY).hasToString("analytics/dev/sales.orders");
  }

  @Test
  void parse_toString_roundTrips() {
    assertThat(TableKey.parse(KEY.toString())).isEqualTo(KEY);
  }

  @Test
  void parse_unqualifiedTable_publicSchema() {
    assertThat(TableKey.parse("wg-etl/dev/orders"))
        .isEqualTo(new TableKey("wg-etl", "dev", TableName.of("public", "orders")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"analytics/sales.orders", "analytics/dev/sales/orders", "analytics/dev/sales.orders/",
      "/dev/sales.orders", "analytics//sales.orders", ""})
  void parse_wrongSegments_rejected(String value) {
    assertThatThrownBy(() -> TableKey.parse(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_badTableName_rejected() {
    assertThatThrownBy(() -> TableKey.parse("analytics/dev/a.b.c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.b.c");
  }

  @Test
  void constructor_slashInWarehouse_rejectedNamingIt() {
    assertThatThrownBy(() -> new TableKey("ana/lytics", "dev", TableName.of("public", "orders")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warehouse name 'ana/lytics'");
  }

  @Test
  void constructor_emptyOrNullDatabase_rejectedNamingIt() {
    TableName table = TableName.of("public", "orders");

    assertThatThrownBy(() -> new TableKey("analytics", "", table)).hasMessageContaining("database name ''");
    assertThatThrownBy(() -> new TableKey("analytics", null, table)).hasMessageContaining("database name 'null'");
  }

  @Test
  void constructor_nullTable_rejected() {
    assertThatThrownBy(() -> new TableKey("analytics", "dev", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("table");
  }
}
