package dev.mbl.cli.bench;

import dev.mbl.load.TableKey;
import java.util.List;

/**
 * One table of the bench: {@code public.bench_t<i>} {@code (id, ts, val, file)}, merged on {@code id}
 * by {@code ts}, fed from {@code s3://mbl-bench/t<i>/} through queue {@code bench-t<i>}; its files are
 * CSV, JSON or Parquet by index, so that four tables carry every format.
 */
record BenchTable(int index) {
  static final String BUCKET = "mbl-bench";
  static final String ROLE = "arn:aws:iam::123456789012:role/redshift-copy";

  /** The file formats, one per table in turn. */
  enum Format {
    CSV("csv", "FORMAT AS CSV"), JSON("json", "JSON 'auto'"), PARQUET("parquet", "FORMAT AS PARQUET");

    final String extension;
    final String copyOptions;

    Format(String extension, String copyOptions) {
      this.extension = extension;
      this.copyOptions = copyOptions;
    }
  }

  BenchTable {
    if (index < 0) {
      throw new IllegalArgumentException("table index must be 0 or more, got " + index);
    }
  }

  static List<BenchTable> first(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(BenchTable::new).toList();
  }

  Format format() {
    return Format.values()[index % Format.values().length];
  }

  String name() {
    return "bench_t" + index;
  }

  String qualified() {
    return "public." + name();
  }

  String queue() {
    return "bench-t" + index;
  }

  String prefix() {
    return "t" + index + "/";
  }

  TableKey key() {
    return TableKey.parse("analytics/dev/" + qualified());
  }

  /** The default history table mbl records each applied batch in (docs/merge-semantics.md). */
  String history() {
    return qualified() + "_mbl_history";
  }

  /** The floor's copy of the target: same columns, loaded with one plain COPY. */
  String floor() {
    return qualified() + "_floor";
  }

  String ddl() {
    return "CREATE TABLE " + qualified() + " (id BIGINT NOT NULL, ts BIGINT, val INTEGER, file VARCHAR(64))";
  }

  String config() {
    return "{\"copy\":{\"options\":\"" + format().copyOptions + "\",\"role_arn\":\"" + ROLE
        + "\",\"table_name\":\"" + qualified() + "\"},\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"},"
        + "\"options\":{\"mode\":\"merge\",\"merge_pk\":\"id\",\"merge_timestamp\":\"ts\"}}";
  }

  /** The floor's COPY: the table's own COPY options, as mbl's batch gives them (docs/merge-semantics.md, step 4). */
  String floorCopy(String manifestUrl) {
    String statistics = format() == Format.PARQUET ? "STATUPDATE OFF" : "COMPUPDATE OFF STATUPDATE OFF";
    return "COPY " + floor() + " FROM '" + manifestUrl + "' IAM_ROLE '" + ROLE + "' MANIFEST " + format().copyOptions
        + " " + statistics;
  }
}
