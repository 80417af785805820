package dev.mbl.sql;

import java.util.Objects;

/** A schema-qualified table name; the schema defaults to {@code public}. Never null parts. */
public record TableName(Identifier schema, Identifier table) {
  public static final Identifier DEFAULT_SCHEMA = Identifier.of("public");

  public TableName {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
  }

  /** Parses {@code table} or {@code schema.table}; throws IllegalArgumentException naming the input. */
  public static TableName parse(String qualified) {
    if (qualified == null || qualified.isBlank()) {
      throw new IllegalArgumentException("table name is missing: give 'schema.table' or 'table'");
    }
    String[] parts = qualified.trim().split("\\.", -1);
    if (parts.length == 1) {
      return new TableName(DEFAULT_SCHEMA, Identifier.of(parts[0]));
    }
    if (parts.length == 2) {
      return new TableName(Identifier.of(parts[0]), Identifier.of(parts[1]));
    }
    throw new IllegalArgumentException("table name '" + Identifier.printable(qualified)
        + "' has too many dots: give 'schema.table' or 'table'");
  }

  public static TableName of(String schema, String table) {
    return new TableName(Identifier.of(schema), Identifier.of(table));
  }

  /** {@code "schema"."table"}, safe to paste into SQL. */
  public String quoted() {
    return schema.quoted() + '.' + table.quoted();
  }

  /** {@code schema.table}, unquoted, for keys and messages. */
  @Override
  public String toString() {
    return schema.value() + '.' + table.value();
  }
}
