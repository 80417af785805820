package dev.mbl.local.redshift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * DescribeTable: the columns of one table (or of every table of a schema) in ordinal order, with
 * Redshift's type names (jsonb reads as {@code super}, text as {@code varchar} of 65535 bytes).
 * A table that does not exist has no columns, as on the Data API.
 */
final class TableDescriber {
  /** One column as the Data API's ColumnMetadata describes it. */
  record ColumnInfo(String schema, String table, String name, String typeName, int length, int precision,
      int scale, boolean nullable, boolean signed, boolean caseSensitive, String columnDefault) {}

  /** One page of columns; {@code nextToken} is null on the last page. */
  record Page(String tableName, List<ColumnInfo> columns, String nextToken) {}

  private static final String QUERY = "SELECT c.table_schema, c.table_name, c.column_name, c.udt_name, "
      + "c.character_maximum_length, c.numeric_precision, c.numeric_scale, c.is_nullable, c.column_default "
      + "FROM information_schema.columns c WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') "
      + "AND c.table_schema NOT LIKE 'pg\\_temp%' AND c.table_schema NOT LIKE 'pg\\_toast%' "
      + "AND (CAST(? AS text) IS NULL OR c.table_schema = ?) AND (CAST(? AS text) IS NULL OR c.table_name = ?) "
      + "ORDER BY c.table_schema, c.table_name, c.ordinal_position";
  private static final Map<String, Integer> PRECISION = Map.of("int2", 5, "int4", 10, "int8", 19, "float4", 8,
      "float8", 17, "bool", 1, "date", 13, "timestamp", 29, "timestamptz", 35);
  private static final Set<String> SIGNED = Set.of("int2", "int4", "int8", "float4", "float8", "numeric");
  private static final Set<String> CHARACTERS = Set.of("varchar", "bpchar", "text");
  private static final int DEFAULT_PAGE = 1_000;

  private final DataSource dataSource;

  TableDescriber(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** The columns of {@code schema.table}; a null schema or table matches every one. */
  Page describe(String schema, String table, int maxResults, String nextToken) throws SQLException {
    int offset = offset(nextToken);
    int page = maxResults <= 0 ? DEFAULT_PAGE : maxResults;
    List<ColumnInfo> all = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(QUERY)) {
      query.setString(1, schema);
      query.setString(2, schema);
      query.setString(3, table);
      query.setString(4, table);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          all.add(column(rows));
        }
      }
    }
    List<ColumnInfo> columns = all.subList(Math.min(offset, all.size()), Math.min(offset + page, all.size()));
    String tableName = table != null ? table : columns.isEmpty() ? null : columns.get(0).table();
    return new Page(tableName, List.copyOf(columns), offset + page < all.size() ? "col-" + (offset + page) : null);
  }

  private static ColumnInfo column(ResultSet rows) throws SQLException {
    String type = rows.getString(4);
    int characters = rows.getInt(5);
    boolean character = CHARACTERS.contains(type);
    int length = character ? (characters > 0 ? characters : TargetColumn.MAX_VARCHAR_BYTES) : 0;
    int precision = character ? length : type.equals("numeric") ? rows.getInt(6) : PRECISION.getOrDefault(type, 0);
    return new ColumnInfo(rows.getString(1), rows.getString(2), rows.getString(3), TargetColumn.redshiftType(type),
        length, precision, type.equals("numeric") ? rows.getInt(7) : 0, "YES".equals(rows.getString(8)),
        SIGNED.contains(type), character, rows.getString(9));
  }

  private static int offset(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      if (token.startsWith("col-")) {
        return Integer.parseInt(token.substring(4));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw DataApiException.validation("NextToken '" + token + "' is not valid");
  }
}
