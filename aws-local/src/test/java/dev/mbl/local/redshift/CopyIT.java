package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import blue.strategic.parquet.ParquetWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;

/** COPY from S3Proxy into PostgreSQL through the emulator: formats, compression, errors. */
class CopyIT {
  private static final String LOAD_FAILED = "ERROR: Load into table '%s' failed. Check 'stl_load_errors' system "
      + "table for details.";
  private static EmulatorFixture fixture;

  @BeforeAll
  static void start() {
    fixture = EmulatorFixture.start();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static DescribeStatementResponse copy(String sql) {
    String id = fixture.data().executeStatement(e -> e.clusterIdentifier(EmulatorFixture.CLUSTER)
        .database(EmulatorFixture.DATABASE).sql(sql)).id();
    return fixture.await(id);
  }

  @Test
  void copy_gzipCsvManifestWithHeader_loadsEveryFile() {
    fixture.execute("CREATE TABLE csv_t (id INT NOT NULL, note VARCHAR(10), at TIMESTAMP, amount DECIMAL(8,2))");
    fixture.put("csv/a.csv.gz", EmulatorFixture.gzip("id,note,at,amount\n1,\"a, b\",2024-11-20 10:15:30,1.5\n"
        + "2,,2024-11-20T11:00:00Z,\n"));
    fixture.put("csv/b.csv.gz", EmulatorFixture.gzip("id,note,at,amount\n3,\"say \"\"hi\"\"\",,7\n"));
    String manifest = fixture.manifest("csv/load.manifest", "csv/a.csv.gz", "csv/b.csv.gz");

    DescribeStatementResponse done = copy("COPY csv_t FROM '" + manifest + "' IAM_ROLE default MANIFEST "
        + "FORMAT AS CSV IGNOREHEADER 1 GZIP TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF");

    assertThat(done.statusAsString()).isEqualTo("FINISHED");
    assertThat(done.resultRows()).isEqualTo(3);
    assertThat(fixture.query("SELECT id, note, at, amount FROM csv_t ORDER BY id")).containsExactly(
        List.of("1", "a, b", "2024-11-20 10:15:30", "1.50"),
        java.util.Arrays.asList("2", "", "2024-11-20 11:00:00", null),
        java.util.Arrays.asList("3", "say \"hi\"", null, "7.00"));
  }

  @Test
  void copy_jsonAutoIgnoreCaseIntoSuper_loadsByName() {
    fixture.execute("CREATE TABLE json_t (id BIGINT, name VARCHAR(20), doc SUPER, seen TIMESTAMPTZ)");
    fixture.put("json/1.json", "{\"ID\": 1, \"Name\": \"ann\", \"doc\": {\"tags\": [\"x\"]}, \"seen\": "
        + "\"2024-11-20T10:00:00+02:00\"}\n{\"id\": 2, \"extra\": true}\n");

    DescribeStatementResponse done = copy("COPY json_t FROM 's3://data/json/' IAM_ROLE default "
        + "FORMAT AS JSON 'auto ignorecase'");

    assertThat(done.statusAsString()).isEqualTo("FINISHED");
    assertThat(fixture.query("SELECT id, name, doc::text, seen FROM json_t ORDER BY id")).containsExactly(
        List.of("1", "ann", "{\"tags\": [\"x\"]}", "2024-11-20 08:00:00+00"),
        java.util.Arrays.asList("2", null, null, null));
  }

  @Test
  void copy_parquet_loadsTypedColumns(@TempDir File dir) throws IOException {
    fixture.execute("CREATE TABLE parquet_t (id BIGINT, note VARCHAR(20), price DOUBLE PRECISION, at TIMESTAMP)");
    MessageType schema = Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("id")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("note")
        .optional(PrimitiveTypeName.DOUBLE).named("price")
        .optional(PrimitiveTypeName.INT64)
        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("at")
        .named("row");
    File file = new File(dir, "rows.parquet");
    long micros = Instant.parse("2024-11-20T10:15:30.250Z").toEpochMilli() * 1000;
    try (ParquetWriter<Object[]> writer = ParquetWriter.writeFile(schema, file, (row, out) -> {
      out.write("id", row[0]);
      if (row[1] != null) {
        out.write("note", row[1]);
        out.write("price", row[2]);
        out.write("at", row[3]);
      }
    })) {
      writer.write(new Object[] {1L, "first", 9.5, micros});
      writer.write(new Object[] {2L, null, null, null});
    }
    fixture.put("parquet/rows.parquet", Files.readAllBytes(file.toPath()));
    String manifest = fixture.manifest("parquet/load.manifest", "parquet/rows.parquet");

    DescribeStatementResponse done = copy("COPY parquet_t FROM '" + manifest + "' IAM_ROLE default MANIFEST "
        + "FORMAT AS PARQUET");

    assertThat(done.statusAsString()).as(done.error()).isEqualTo("FINISHED");
    assertThat(fixture.query("SELECT id, note, price, at FROM parquet_t ORDER BY id")).containsExactly(
        List.of("1", "first", "9.5", "2024-11-20 10:15:30.25"),
        java.util.Arrays.asList("2", null, null, null));
  }

  @Test
  void copy_pipeDelimitedPrefixWithZstd_loadsEveryObjectUnderThePrefix() throws Exception {
    fixture.execute("CREATE TABLE text_t (id INT, note VARCHAR(10))");
    fixture.put("text/part-1", "1|one\n2|\\N\n");
    fixture.put("text/part-2", "3|three\n");

    DescribeStatementResponse plain = copy("COPY text_t FROM 's3://data/text/part' IAM_ROLE default");

    assertThat(plain.statusAsString()).isEqualTo("FINISHED");
    assertThat(fixture.query("SELECT id, note FROM text_t ORDER BY id")).containsExactly(List.of("1", "one"),
        java.util.Arrays.asList("2", null), List.of("3", "three"));
    fixture.put("zstd/1.zst", com.github.luben.zstd.Zstd.compress("4|four\n".getBytes()));
    assertThat(copy("COPY text_t FROM 's3://data/zstd/' IAM_ROLE default ZSTD").statusAsString()).isEqualTo("FINISHED");
    assertThat(fixture.query("SELECT note FROM text_t WHERE id = 4")).containsExactly(List.of("four"));
  }

  @Test
  void copy_badRows_failsLikeRedshiftAndKeepsStlLoadErrorsAfterRollback() {
    fixture.execute("CREATE TABLE bad_t (id INT NOT NULL, note VARCHAR(3))");
    fixture.put("bad/1.csv", "1,ok\nx,ok\n3,too long\n,ok\n5,ok,extra\n");
    String manifest = fixture.manifest("bad/load.manifest", "bad/1.csv");

    DescribeStatementResponse failed = copy("COPY bad_t FROM '" + manifest + "' IAM_ROLE default MANIFEST CSV");

    assertThat(failed.statusAsString()).isEqualTo("FAILED");
    assertThat(failed.error()).isEqualTo(LOAD_FAILED.formatted("bad_t"));
    assertThat(fixture.query("SELECT count(*) FROM bad_t")).containsExactly(List.of("0"));
    assertThat(fixture.query("SELECT filename, line_number, colname, type, raw_field_value, err_code, err_reason "
        + "FROM stl_load_errors WHERE tbl = 'bad_t'::regclass::oid ORDER BY line_number")).containsExactly(
        List.of("s3://data/bad/1.csv", "2", "id", "int4", "x", "1207", "Invalid digit, Value 'x', Pos 0, Type: Integer"));

    DescribeStatementResponse tolerated = copy("COPY bad_t FROM '" + manifest + "' IAM_ROLE default MANIFEST CSV "
        + "MAXERROR 10");

    assertThat(tolerated.statusAsString()).isEqualTo("FINISHED");
    assertThat(fixture.query("SELECT id, note FROM bad_t")).containsExactly(List.of("1", "ok"));
    assertThat(fixture.query("SELECT line_number, err_code, err_reason FROM stl_load_errors WHERE query = "
        + tolerated.redshiftQueryId() + " ORDER BY line_number")).containsExactly(
        List.of("2", "1207", "Invalid digit, Value 'x', Pos 0, Type: Integer"),
        List.of("3", "1204", "String length exceeds DDL length"),
        List.of("4", "1213", "Missing data for not-null field"),
        List.of("5", "1202", "Extra column(s) found"));
  }

  @Test
  void copy_missingMandatoryManifestEntry_failsWithS3sError() {
    fixture.execute("CREATE TABLE missing_t (id INT)");
    fixture.put("missing/load.manifest", "{\"entries\":[{\"url\":\"s3://data/missing/gone.csv\",\"mandatory\":true}]}");

    DescribeStatementResponse failed = copy("COPY missing_t FROM 's3://data/missing/load.manifest' IAM_ROLE default "
        + "MANIFEST CSV");

    assertThat(failed.statusAsString()).isEqualTo("FAILED");
    assertThat(failed.error()).startsWith("ERROR: S3ServiceException:The specified key does not exist.")
        .contains("s3://data/missing/gone.csv");
  }

  @Test
  void copy_unsupportedOption_failsNamingIt() {
    fixture.execute("CREATE TABLE orc_t (id INT)");

    assertThat(copy("COPY orc_t FROM 's3://data/x' IAM_ROLE default FORMAT AS ORC").error())
        .isEqualTo("ERROR: COPY: the format ORC is not emulated by the local Data API: use CSV, JSON 'auto' or PARQUET");
  }
}
