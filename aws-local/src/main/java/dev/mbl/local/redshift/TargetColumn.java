package dev.mbl.local.redshift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A column a COPY loads, as PostgreSQL's catalog describes it.
 *
 * @param typeName PostgreSQL's type name ({@code int8}, {@code varchar}, {@code jsonb}, ...)
 * @param sqlType the full type for casts, e.g. {@code character varying(20)}
 * @param length the declared length of a character type in bytes, -1 when unlimited
 * @param precision a numeric type's precision, -1 when unconstrained
 * @param scale a numeric type's scale
 * @param identity whether values are generated (IDENTITY or GENERATED columns)
 * @param alwaysIdentity a Redshift IDENTITY column (GENERATED ALWAYS here), which takes no
 *     explicit value except through COPY ... EXPLICIT_IDS
 * @param hasDefault whether the column has a DEFAULT (identity columns count as having one)
 */
record TargetColumn(String name, String typeName, String sqlType, int length, int precision, int scale,
    boolean notNull, boolean identity, boolean alwaysIdentity, boolean hasDefault) {

  /** A column that is no Redshift IDENTITY column and has no DEFAULT unless {@code identity}. */
  TargetColumn(String name, String typeName, String sqlType, int length, int precision, int scale, boolean notNull,
      boolean identity) {
    this(name, typeName, sqlType, length, precision, scale, notNull, identity, false, identity);
  }

  /** How values of a column are converted from text. */
  enum Kind { INT2, INT4, INT8, NUMERIC, FLOAT4, FLOAT8, BOOL, CHAR, DATE, TIMESTAMP, TIMESTAMPTZ, JSON, BYTES, OTHER }

  /** Redshift's VARCHAR(MAX), which the emulator stores as text. */
  static final int MAX_VARCHAR_BYTES = 65_535;

  private static final Map<String, Kind> KINDS = Map.ofEntries(Map.entry("int2", Kind.INT2),
      Map.entry("int4", Kind.INT4), Map.entry("int8", Kind.INT8), Map.entry("numeric", Kind.NUMERIC),
      Map.entry("float4", Kind.FLOAT4), Map.entry("float8", Kind.FLOAT8), Map.entry("bool", Kind.BOOL),
      Map.entry("varchar", Kind.CHAR), Map.entry("bpchar", Kind.CHAR), Map.entry("text", Kind.CHAR),
      Map.entry("date", Kind.DATE), Map.entry("timestamp", Kind.TIMESTAMP),
      Map.entry("timestamptz", Kind.TIMESTAMPTZ), Map.entry("jsonb", Kind.JSON), Map.entry("json", Kind.JSON),
      Map.entry("bytea", Kind.BYTES));

  private static final String COLUMNS = "SELECT a.attname, t.typname, format_type(a.atttypid, a.atttypmod), "
      + "a.atttypmod, a.attnotnull, a.attidentity <> '' OR a.attgenerated <> '', a.attidentity = 'a', "
      + "a.atthasdef OR a.attidentity <> '' FROM pg_attribute a "
      + "JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped "
      + "ORDER BY a.attnum";

  Kind kind() {
    return KINDS.getOrDefault(typeName, Kind.OTHER);
  }

  /** The most UTF-8 bytes a value may have: Redshift counts bytes, not characters. */
  int maxBytes() {
    return length >= 0 ? length : typeName.equals("text") ? MAX_VARCHAR_BYTES : -1;
  }

  /** The type as Redshift names it in stl_load_errors and DescribeTable. */
  String redshiftType() {
    return redshiftType(typeName);
  }

  static String redshiftType(String postgresType) {
    return switch (postgresType) {
      case "jsonb", "json" -> "super";
      case "text" -> "varchar";
      case "bytea" -> "varbyte";
      default -> postgresType;
    };
  }

  /** The columns of the relation with {@code oid}, in table order. */
  static List<TargetColumn> of(Connection connection, long oid) throws SQLException {
    List<TargetColumn> columns = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(COLUMNS)) {
      query.setLong(1, oid);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String type = rows.getString(2);
          int modifier = rows.getInt(4);
          boolean numeric = type.equals("numeric") && modifier >= 4;
          boolean sized = (type.equals("varchar") || type.equals("bpchar")) && modifier >= 4;
          columns.add(new TargetColumn(rows.getString(1), type, rows.getString(3), sized ? modifier - 4 : -1,
              numeric ? ((modifier - 4) >> 16) & 0xffff : -1, numeric ? (modifier - 4) & 0xffff : 0,
              rows.getBoolean(5), rows.getBoolean(6), rows.getBoolean(7), rows.getBoolean(8)));
        }
      }
    }
    return columns;
  }
}
