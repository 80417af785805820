package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;

/**
 * COPY rules of Redshift the emulator enforces: columnar parameters and column mapping, REGION,
 * column lists with defaults and IDENTITY, and the load-error views. Each test names its document.
 */
class CopyRulesIT {
  private static final MessageType TWO_COLUMNS = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("note")
      .named("row");
  private static EmulatorFixture fixture;

  @BeforeAll
  static void start() {
    fixture = EmulatorFixture.start();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** "COPY from columnar data formats": MAXERROR, COMPUPDATE, REGION ... are not parameters of a Parquet COPY. */
  @Test
  void copyParquet_unlistedParameter_failsWithRedshiftsText() {
    fixture.execute("CREATE TABLE pq_opts (id BIGINT, note VARCHAR(10))");
    fixture.putParquet("pq-opts/a.parquet", TWO_COLUMNS, List.<Object[]>of(new Object[] {1L, "a"}));
    String manifest = fixture.manifest("pq-opts/load.manifest", "pq-opts/a.parquet");
    String copy = "COPY pq_opts FROM '" + manifest + "' IAM_ROLE default MANIFEST FORMAT AS PARQUET ";

    assertThat(fixture.run(copy + "MAXERROR 10").error())
        .isEqualTo("ERROR: MAXERROR argument is not supported for PARQUET based COPY");
    assertThat(fixture.run(copy + "COMPUPDATE OFF STATUPDATE OFF").error())
        .isEqualTo("ERROR: COMPUPDATE argument is not supported for PARQUET based COPY");
    assertThat(fixture.run(copy + "REGION 'us-east-1'").error())
        .isEqualTo("ERROR: REGION argument is not supported for PARQUET based COPY");
    assertThat(fixture.run(copy + "STATUPDATE OFF").statusAsString()).isEqualTo("FINISHED");
  }

  /**
   * "COPY from columnar data formats": file columns go to table columns by position and the
   * counts must match. AWS publishes the rule, not the text: the text is Redshift Spectrum's.
   */
  @Test
  void copyParquet_extraColumn_failsNamingTheFileAndTheCounts() {
    fixture.execute("CREATE TABLE pq_extra (id BIGINT, note VARCHAR(10))");
    MessageType three = Types.buildMessage().required(PrimitiveTypeName.INT64).named("id")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("note")
        .optional(PrimitiveTypeName.INT32).named("extra").named("row");
    fixture.putParquet("pq-extra/good.parquet", TWO_COLUMNS, List.<Object[]>of(new Object[] {1L, "a"}));
    fixture.putParquet("pq-extra/bad.parquet", three, List.<Object[]>of(new Object[] {2L, "b", 3}));
    String manifest = fixture.manifest("pq-extra/load.manifest", "pq-extra/good.parquet", "pq-extra/bad.parquet");

    DescribeStatementResponse failed = fixture.run("COPY pq_extra FROM '" + manifest + "' IAM_ROLE default MANIFEST "
        + "FORMAT AS PARQUET");

    assertThat(failed.statusAsString()).isEqualTo("FAILED");
    assertThat(failed.error()).startsWith("ERROR: Spectrum Scan Error").contains("Unmatched number of columns between "
        + "table and file. Table columns: 2, Data columns: 3, File name: "
        + "https://s3.us-east-1.amazonaws.com/data/pq-extra/bad.parquet");
    assertThat(fixture.query("SELECT count(*) FROM pq_extra")).containsExactly(List.of("0"));
  }

  /** "COPY from columnar data formats": by position, never by name, so reordered columns land in the wrong column. */
  @Test
  void copyParquet_reorderedColumns_loadByPositionNotByName() {
    fixture.execute("CREATE TABLE pq_order (a VARCHAR(5), b VARCHAR(5))");
    MessageType reordered = Types.buildMessage()
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("b")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("a").named("row");
    fixture.putParquet("pq-order/a.parquet", reordered, List.<Object[]>of(new Object[] {"bee", "ay"}));
    String manifest = fixture.manifest("pq-order/load.manifest", "pq-order/a.parquet");

    fixture.execute("COPY pq_order FROM '" + manifest + "' IAM_ROLE default MANIFEST FORMAT AS PARQUET");

    assertThat(fixture.query("SELECT a, b FROM pq_order")).containsExactly(List.of("bee", "ay"));
  }

  /**
   * "Column mapping options": with a column list, file columns go to the listed columns in order
   * and an omitted column gets its DEFAULT; FILLRECORD (listed for columnar) loads NULL for missing
   * trailing columns.
   */
  @Test
  void copyParquet_columnListAndFillRecord_mapByPositionToTheList() {
    fixture.execute("CREATE TABLE pq_list (id BIGINT, note VARCHAR(10), source VARCHAR(10) DEFAULT 'file', x INT)");
    fixture.putParquet("pq-list/a.parquet", TWO_COLUMNS, List.<Object[]>of(new Object[] {1L, "a"}));
    String manifest = fixture.manifest("pq-list/load.manifest", "pq-list/a.parquet");

    fixture.execute("COPY pq_list (id, note) FROM '" + manifest + "' IAM_ROLE default MANIFEST FORMAT AS PARQUET");
    fixture.execute("COPY pq_list (id, note, x) FROM '" + manifest + "' IAM_ROLE default MANIFEST FORMAT AS PARQUET "
        + "FILLRECORD");

    assertThat(fixture.query("SELECT id, note, source, x FROM pq_list ORDER BY x NULLS FIRST")).containsExactly(
        java.util.Arrays.asList("1", "a", "file", null), java.util.Arrays.asList("1", "a", "file", null));
  }

  /**
   * "Column mapping options": an omitted NOT NULL column without DEFAULT fails the COPY. AWS
   * publishes the rule, not the text; the text is the one Redshift reports.
   */
  @Test
  void copyColumnList_omittedNotNullWithoutDefault_fails() {
    fixture.execute("CREATE TABLE cl_nn (id INT, must VARCHAR(3) NOT NULL, dflt VARCHAR(3) NOT NULL DEFAULT 'd')");
    fixture.put("cl-nn/a.csv", "1\n");
    String manifest = fixture.manifest("cl-nn/load.manifest", "cl-nn/a.csv");

    assertThat(fixture.run("COPY cl_nn (id) FROM '" + manifest + "' IAM_ROLE default MANIFEST CSV").error())
        .isEqualTo("ERROR: NOT NULL column without DEFAULT must be included in column list");
    fixture.put("cl-nn/b.csv", "1,m\n");
    String second = fixture.manifest("cl-nn/b.manifest", "cl-nn/b.csv");
    fixture.execute("COPY cl_nn (id, must) FROM '" + second + "' IAM_ROLE default MANIFEST CSV");
    assertThat(fixture.query("SELECT id, must, dflt FROM cl_nn")).containsExactly(List.of("1", "m", "d"));
  }

  /** "Column mapping options": an IDENTITY column in the list needs EXPLICIT_IDS; GENERATED BY DEFAULT does not. */
  @Test
  void copyColumnList_identityColumn_needsExplicitIds() {
    fixture.execute("CREATE TABLE cl_id (id BIGINT IDENTITY(1, 1), g INT GENERATED BY DEFAULT AS IDENTITY(1, 1), "
        + "n INT)");
    fixture.put("cl-id/a.csv", "5,6,7\n");
    String manifest = fixture.manifest("cl-id/load.manifest", "cl-id/a.csv");
    String copy = "COPY cl_id (id, g, n) FROM '" + manifest + "' IAM_ROLE default MANIFEST CSV";

    assertThat(fixture.run(copy).error()).isEqualTo("ERROR: cannot set an identity column to a value");
    fixture.execute(copy + " EXPLICIT_IDS");
    fixture.put("cl-id/b.csv", "8\n");
    fixture.execute("COPY cl_id (n) FROM '" + fixture.manifest("cl-id/b.manifest", "cl-id/b.csv") + "' IAM_ROLE "
        + "default MANIFEST CSV");
    assertThat(fixture.query("SELECT id, g, n FROM cl_id ORDER BY n")).containsExactly(List.of("5", "6", "7"),
        List.of("1", "1", "8"));
  }

  /**
   * The loader's staging SQL (contract: LIKE ... INCLUDING DEFAULTS, COPY with the loaded columns,
   * INSERT of the loaded columns) loads a table with an IDENTITY and a NOT NULL DEFAULT column the
   * files omit, as "CREATE TABLE" and "Column mapping options" say Redshift does.
   */
  @Test
  void loaderStagingSql_identityAndNotNullDefault_loads() {
    fixture.execute("CREATE TABLE staged_t (id BIGINT IDENTITY(100, 1), name VARCHAR(10) NOT NULL, "
        + "source VARCHAR(10) NOT NULL DEFAULT 'mbl', n INT)");
    fixture.put("staged/a.csv", "ann,1\nbob,2\n");
    String manifest = fixture.manifest("staged/load.manifest", "staged/a.csv");

    DescribeStatementResponse done = fixture.batch(
        "CREATE TEMP TABLE stage_01 (LIKE staged_t INCLUDING DEFAULTS)",
        "COPY stage_01 (name, n) FROM '" + manifest + "' IAM_ROLE default MANIFEST CSV COMPUPDATE OFF STATUPDATE OFF",
        "CREATE TEMP TABLE latest_01 (LIKE staged_t INCLUDING DEFAULTS)",
        "INSERT INTO latest_01 (name, source, n) SELECT name, source, n FROM stage_01",
        "INSERT INTO staged_t (name, source, n) SELECT name, source, n FROM latest_01");

    assertThat(done.statusAsString()).as(done.error()).isEqualTo("FINISHED");
    assertThat(fixture.query("SELECT id, name, source, n FROM staged_t ORDER BY n")).containsExactly(
        List.of("100", "ann", "mbl", "1"), List.of("101", "bob", "mbl", "2"));
  }

  /** "COPY from Amazon S3": without REGION the data must be in the cluster's region; with it, every resource in REGION. */
  @Test
  void copyRegion_bucketElsewhere_failsUnlessRegionNamesIt() {
    fixture.s3.createBucket("far-away");
    fixture.emulator.placeBucket("far-away", "eu-west-1");
    fixture.execute("CREATE TABLE region_t (id INT)");
    fixture.s3.put("far-away", "r/a.csv", "1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String farManifest = "{\"entries\":[{\"url\":\"s3://far-away/r/a.csv\",\"mandatory\":true}]}";
    fixture.s3.put("far-away", "r/load.manifest", farManifest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    fixture.put("r/local.manifest", farManifest);

    assertThat(fixture.run("COPY region_t FROM 's3://far-away/r/load.manifest' IAM_ROLE default MANIFEST CSV")
        .error()).startsWith("ERROR: S3ServiceException:The bucket you are attempting to access must be addressed "
        + "using the specified endpoint.").contains("Status 301,Error PermanentRedirect");
    fixture.execute("COPY region_t FROM 's3://far-away/r/load.manifest' IAM_ROLE default MANIFEST CSV "
        + "REGION 'eu-west-1'");
    assertThat(fixture.run("COPY region_t FROM 's3://data/r/local.manifest' IAM_ROLE default MANIFEST CSV "
        + "REGION 'eu-west-1'").error()).contains("PermanentRedirect").contains("s3://data/r/local.manifest");
    assertThat(fixture.query("SELECT id FROM region_t")).containsExactly(List.of("1"));
  }

  /**
   * "SYS_LOAD_ERROR_DETAIL" (its documented columns, no raw_line or raw_field_value) and
   * "STL_LOAD_ERRORS": a failed COPY fills both, file_name being the manifest entry's URL.
   */
  @Test
  void failedCopy_fillsSysLoadErrorDetailWithTheDocumentedColumns() {
    fixture.execute("CREATE TABLE sys_t (id INT)");
    fixture.put("sys/bad.csv", "1\nx\n");
    String manifest = fixture.manifest("sys/load.manifest", "sys/bad.csv");

    DescribeStatementResponse failed = fixture.run("COPY sys_t FROM '" + manifest + "' IAM_ROLE default MANIFEST CSV");

    assertThat(failed.statusAsString()).isEqualTo("FAILED");
    assertThat(fixture.query("SELECT trim(file_name), line_number, trim(column_name), trim(column_type), error_code, "
        + "trim(error_message) FROM sys_load_error_detail WHERE query_id = " + failed.redshiftQueryId()))
        .containsExactly(List.of("s3://data/sys/bad.csv", "2", "id", "int4", "1207",
            "Invalid digit, Value 'x', Pos 0, Type: Integer"));
    assertThat(fixture.query("SELECT column_name FROM information_schema.columns WHERE table_name = "
        + "'sys_load_error_detail' ORDER BY ordinal_position")).extracting(r -> r.get(0)).containsExactly("user_id",
        "query_id", "transaction_id", "session_id", "database_name", "table_id", "start_time", "file_name",
        "line_number", "column_name", "column_type", "column_length", "position", "error_code", "error_message");
    assertThat(fixture.runServerless("SELECT trim(file_name) FROM sys_load_error_detail WHERE query_id = "
        + failed.redshiftQueryId()).statusAsString()).isEqualTo("FINISHED");
  }

  /**
   * "System monitoring (provisioned only)": Serverless has no STL, STV, SVCS or SVL views. AWS
   * publishes no error text; Redshift Serverless answers "permission denied for relation".
   */
  @Test
  void serverless_stlView_isRefusedButProvisionedReadsIt() {
    assertThat(fixture.runServerless("SELECT count(*) FROM stl_load_errors").error())
        .isEqualTo("ERROR: permission denied for relation stl_load_errors");
    assertThat(fixture.run("SELECT count(*) FROM stl_load_errors").statusAsString()).isEqualTo("FINISHED");
  }
}
