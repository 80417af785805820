package dev.mbl.local.redshift;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The result set of one statement, kept for GetStatementResult. Values are typed as the Data
 * API's {@code Field} union: integers as {@code Long}, floating point as {@code Double},
 * booleans, bytes ({@code byte[]}), and everything else (numeric, dates, times, SUPER) as text;
 * SQL NULL is null. Immutable.
 */
record ResultTable(List<Column> columns, List<List<Object>> rows) {
  private static final Set<String> INTEGERS = Set.of("int2", "int4", "int8", "oid");
  private static final Set<String> FLOATS = Set.of("float4", "float8");

  /** One column, as the Data API's ColumnMetadata describes it. */
  record Column(String name, String label, String typeName, int precision, int scale, int nullable,
      boolean signed, boolean caseSensitive, boolean currency, String schemaName, String tableName) {}

  ResultTable {
    columns = List.copyOf(columns);
    rows = Collections.unmodifiableList(rows);
  }

  /** Reads every row of {@code results}. */
  static ResultTable read(ResultSet results) throws SQLException {
    ResultSetMetaData meta = results.getMetaData();
    List<Column> columns = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.add(new Column(meta.getColumnName(i), meta.getColumnLabel(i),
          TargetColumn.redshiftType(meta.getColumnTypeName(i)), meta.getPrecision(i), meta.getScale(i),
          meta.isNullable(i), meta.isSigned(i), meta.isCaseSensitive(i), meta.isCurrency(i), meta.getSchemaName(i),
          meta.getTableName(i)));
    }
    List<List<Object>> rows = new ArrayList<>();
    while (results.next()) {
      List<Object> row = new ArrayList<>(columns.size());
      for (int i = 1; i <= columns.size(); i++) {
        row.add(value(results, i, meta.getColumnTypeName(i)));
      }
      rows.add(Collections.unmodifiableList(row));
    }
    return new ResultTable(columns, rows);
  }

  private static Object value(ResultSet results, int index, String type) throws SQLException {
    Object value;
    if (INTEGERS.contains(type)) {
      value = results.getLong(index);
    } else if (FLOATS.contains(type)) {
      value = results.getDouble(index);
    } else if (type.equals("bool")) {
      value = results.getBoolean(index);
    } else if (type.equals("bytea")) {
      value = results.getBytes(index);
    } else {
      value = results.getString(index);
    }
    return results.wasNull() ? null : value;
  }

  /** The result's approximate size in bytes, as DescribeStatement's ResultSize reports it. */
  long size() {
    long bytes = 0;
    for (List<Object> row : rows) {
      for (Object value : row) {
        bytes += value == null ? 0 : value instanceof byte[] b ? b.length
            : value instanceof String s ? s.getBytes(StandardCharsets.UTF_8).length : 8;
      }
    }
    return bytes;
  }
}
