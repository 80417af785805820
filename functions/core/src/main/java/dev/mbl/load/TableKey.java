package dev.mbl.load;

import dev.mbl.config.TableConfig;
import dev.mbl.sql.TableName;
import java.util.Objects;

/**
 * The unit loads are serialised on: {@code {cluster or workgroup}/{database}/{schema.table}}.
 * Two configs that name the same table share one key, one lock and one queue of pending work.
 */
public record TableKey(String warehouse, String database, TableName table) {
  public TableKey {
    Objects.requireNonNull(table, "table");
    requireSegment(warehouse, "warehouse");
    requireSegment(database, "database");
  }

  public static TableKey of(TableConfig config) {
    return new TableKey(config.target().warehouseName(), config.target().database(), config.table());
  }

  /** Parses {@code warehouse/database/schema.table}. */
  public static TableKey parse(String value) {
    String[] parts = value.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("table key '" + value + "' is not warehouse/database/schema.table");
    }
    return new TableKey(parts[0], parts[1], TableName.parse(parts[2]));
  }

  @Override
  public String toString() {
    return warehouse + '/' + database + '/' + table;
  }

  private static void requireSegment(String value, String what) {
    if (value == null || value.isEmpty() || value.contains("/")) {
      throw new IllegalArgumentException(what + " name '" + value + "' must be non-empty and contain no '/'");
    }
  }
}
