package dev.mbl.cli.bench;

import dev.mbl.cli.demo.ParquetBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The bench's files, from its seed: round-robin over the tables, 20 to 100 rows each, ids drawn
 * from a key space per table a third the size of the table's rows, so keys repeat across files
 * (and within one) and the merge dedupes. {@code ts} grows with generation order and is unique,
 * so the row that survives for a key is the one with the largest {@code ts}, whatever the batches'
 * order. Also the tables' expected contents: distinct keys and the sum of their winning {@code ts}.
 */
final class BenchData {
  private static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .required(PrimitiveTypeName.INT64).named("ts")
      .required(PrimitiveTypeName.INT32).named("val")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("file")
      .named("bench");
  static final int MIN_ROWS = 20;
  static final int MAX_ROWS = 100;

  /** One row of a bench table. */
  record Row(long id, long ts, int val, String file) {}

  /** One file to upload: its table, key, bytes and row count. */
  record BenchFile(BenchTable table, String key, byte[] body, int rows) {}

  /** What a table must hold: how many distinct ids, and the sum of each id's winning (largest) ts. */
  record Expected(long rows, long tsSum) {}

  private final Random random;
  private final List<BenchTable> tables;
  private final int keySpace;
  /** Per table: id -> largest ts so far. */
  private final Map<BenchTable, Map<Long, Long>> winners = new HashMap<>();
  private long ts;

  BenchData(long seed, List<BenchTable> tables, int burstFiles) {
    this.random = new Random(seed);
    this.tables = List.copyOf(tables);
    int rowsPerTable = burstFiles / tables.size() * (MIN_ROWS + MAX_ROWS) / 2;
    this.keySpace = Math.max(50, rowsPerTable / 3);
    tables.forEach(table -> winners.put(table, new HashMap<>()));
  }

  /** The next {@code count} files, round-robin over the tables, under {@code t<i>/<phase>/}. */
  List<BenchFile> files(String phase, int count) {
    List<BenchFile> files = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      BenchTable table = tables.get(n % tables.size());
      String name = String.format("f%06d", n);
      String key = table.prefix() + phase + "/" + name + "." + table.format().extension;
      List<Row> rows = new ArrayList<>();
      for (int i = MIN_ROWS + random.nextInt(MAX_ROWS - MIN_ROWS + 1); i > 0; i--) {
        Row row = new Row(random.nextInt(keySpace), ++ts, random.nextInt(1_000_000), phase + "/" + name);
        rows.add(row);
        winners.get(table).merge(row.id(), row.ts(), Math::max);
      }
      files.add(new BenchFile(table, key, render(table.format(), rows), rows.size()));
    }
    return files;
  }

  /** What {@code table} must hold after every file generated so far loaded. */
  Expected expected(BenchTable table) {
    Map<Long, Long> ids = winners.get(table);
    return new Expected(ids.size(), ids.values().stream().mapToLong(Long::longValue).sum());
  }

  static byte[] render(BenchTable.Format format, List<Row> rows) {
    return switch (format) {
      case CSV -> text(rows, r -> r.id() + "," + r.ts() + "," + r.val() + "," + r.file());
      case JSON -> text(rows, r -> "{\"id\":" + r.id() + ",\"ts\":" + r.ts() + ",\"val\":" + r.val() + ",\"file\":\""
          + r.file() + "\"}");
      case PARQUET -> ParquetBytes.write(SCHEMA, rows, (r, out) -> {
        out.write("id", r.id());
        out.write("ts", r.ts());
        out.write("val", r.val());
        out.write("file", r.file());
      });
    };
  }

  private static byte[] text(List<Row> rows, java.util.function.Function<Row, String> line) {
    StringBuilder out = new StringBuilder();
    rows.forEach(row -> out.append(line.apply(row)).append('\n'));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
