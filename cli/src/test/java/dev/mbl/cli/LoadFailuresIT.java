package dev.mbl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.load.TableKey;
import dev.mbl.load.StatementName;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.BatchState;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How a failed batch ends on the strict emulator: a bad file is found by one load-error query and
 * quarantined alone; an error that hits every file (a bucket in another region, a cancel) holds
 * the table and quarantines nothing; throttling backs off; a Parquet file whose columns do not
 * match the table is quarantined alone with the column counts ("COPY from columnar data formats").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadFailuresIT {
  private static final String BUCKET = "mbl-failures-it";

  private LocalPipeline pipeline;

  @BeforeAll
  void start() throws IOException {
    pipeline = new LocalPipeline();
  }

  @AfterAll
  void stop() throws IOException {
    pipeline.close();
  }

  /** Uploads before the table exists (no notification), then BulkLoader ledgers them all into one batch. */
  private TableKey bulkLoaded(String queue, String ddl, String config, String prefix, List<String> keys,
      List<byte[]> bodies) {
    pipeline.stack().s3().createBucket(b -> b.bucket(BUCKET + "-" + queue));
    for (int i = 0; i < keys.size(); i++) {
      pipeline.upload(BUCKET + "-" + queue, keys.get(i), bodies.get(i));
    }
    TableKey table = pipeline.table(queue, ddl, config, BUCKET + "-" + queue, "elsewhere/");
    pipeline.stack().invokeBulkLoader("{\"tables\":[{\"config\":\"" + queue + "\",\"prefix\":\"s3://" + BUCKET
        + "-" + queue + "/" + prefix + "\"}]}");
    return table;
  }

  private List<BatchRecord> failedBatches(TableKey table) {
    return pipeline.batches(table).stream().filter(b -> b.state() == BatchState.FAILED).toList();
  }

  @Test
  void oneBadRowInTwentyFiles_oneFailedBatchAndOneQuery_quarantineExactlyThatFile() throws Exception {
    List<String> keys = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(String.format("diag/file-%02d.csv", i));
      String amount = i == 7 ? "abc" : "1.50";
      bodies.add(("id,amount\n" + (i * 10) + ",2.00\n" + (i * 10 + 1) + "," + amount + "\n").getBytes());
    }
    TableKey table = bulkLoaded("diag", "CREATE TABLE public.rules_diag (id BIGINT, amount DECIMAL(12,2))",
        LocalPipeline.config("public.rules_diag", "FORMAT AS CSV IGNOREHEADER 1", "", ""), "diag/", keys, bodies);

    keys.forEach(k -> pipeline.awaitSettled(table, k));

    LedgerEntry bad = pipeline.entry(table, "diag/file-07.csv");
    assertThat(bad.state()).isEqualTo(FileState.QUARANTINED);
    // sys_load_error_detail has no raw_field_value: the value is the one Redshift quotes in its message.
    assertThat(bad.reason()).contains("line 3").contains("column amount").contains("Value 'a'")
        .contains("sys_load_error_detail");
    assertThat(keys).filteredOn(k -> !k.equals("diag/file-07.csv"))
        .allSatisfy(k -> assertThat(pipeline.entry(table, k).state()).isEqualTo(FileState.LOADED));
    assertThat(failedBatches(table)).as("one failed batch, not a bisection").hasSize(1);
    assertThat(pipeline.statements(StatementName.DIAGNOSIS_SUFFIX))
        .filteredOn(s -> s.statementName().contains("public.rules_diag")).as("one load-error query").hasSize(1);
    assertThat(pipeline.rows("SELECT COUNT(*) FROM public.rules_diag")).containsExactly("38");
  }

  @Test
  void bucketInAnotherRegion_everyFileFails_tableHeldNothingQuarantined_thenLoads() throws Exception {
    String bucket = BUCKET + "-region";
    TableKey table = pipeline.table("region", "CREATE TABLE public.rules_region (id INTEGER)",
        LocalPipeline.config("public.rules_region", "FORMAT AS CSV", "", ""), bucket, "in/");
    pipeline.emulator().placeBucket(bucket, "eu-west-1"); // "COPY from Amazon S3": same region or REGION
    try {
      pipeline.upload(bucket, "in/a.csv", "1\n");
      pipeline.upload(bucket, "in/b.csv", "2\n");
      LocalPipeline.await("a failed batch holds the table", () -> failedBatches(table).stream()
          .anyMatch(b -> "SETUP".equals(b.errorClass())));
      assertThat(failedBatches(table).get(0).error()).contains("PermanentRedirect");
      assertThat(pipeline.tracker().ledgerEntries(table)).noneMatch(e -> e.state() == FileState.QUARANTINED);
      assertThat(pipeline.log()).contains("\"held\"");
    } finally {
      pipeline.emulator().placeBucket(bucket, pipeline.emulator().region());
    }

    assertThat(pipeline.awaitSettled(table, "in/a.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.awaitSettled(table, "in/b.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.rows("SELECT id FROM public.rules_region ORDER BY id")).containsExactly("1", "2");
  }

  @Test
  void statementCancelledWhileRunning_tableHeldNothingQuarantined_thenLoads() throws Exception {
    TableKey table = pipeline.table("cancel", "CREATE TABLE public.rules_cancel (id INTEGER)",
        LocalPipeline.config("public.rules_cancel", "FORMAT AS CSV", "", ""), BUCKET, "cancel/");
    pipeline.emulator().holdStatements();
    try {
      pipeline.upload(BUCKET, "cancel/a.csv", "1\n");
      LocalPipeline.await("the batch statement runs", () -> running("public.rules_cancel") != null);
      String id = running("public.rules_cancel");
      pipeline.stack().redshiftData().cancelStatement(c -> c.id(id));
      LocalPipeline.await("the cancelled batch holds the table", () -> failedBatches(table).stream()
          .anyMatch(b -> "SETUP".equals(b.errorClass())));
    } finally {
      pipeline.emulator().releaseStatements();
    }
    assertThat(pipeline.tracker().ledgerEntries(table)).noneMatch(e -> e.state() == FileState.QUARANTINED);

    assertThat(pipeline.awaitSettled(table, "cancel/a.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.rows("SELECT id FROM public.rules_cancel")).containsExactly("1");
  }

  private String running(String table) {
    return pipeline.statements("").stream()
        .filter(s -> s.statementName().contains(table) && "STARTED".equals(s.statusAsString()))
        .map(s -> s.id()).findFirst().orElse(null);
  }

  @Test
  void throttledDataApi_backsOffThenLoads() throws Exception {
    TableKey table = pipeline.table("throttle", "CREATE TABLE public.rules_throttle (id INTEGER)",
        LocalPipeline.config("public.rules_throttle", "FORMAT AS CSV", "", ""), BUCKET, "throttle/");
    // More than the SDK's own retries: mbl's back-off must take over ("Common Errors": ThrottlingException).
    pipeline.emulator().throttleNextRequests(12);

    pipeline.upload(BUCKET, "throttle/a.csv", "1\n");

    assertThat(pipeline.awaitSettled(table, "throttle/a.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.log().toLowerCase(java.util.Locale.ROOT)).contains("throttl");
    assertThat(pipeline.rows("SELECT id FROM public.rules_throttle")).containsExactly("1");
  }

  @Test
  void parquetFileWithAnExtraColumn_failsAsRedshiftDoes_onlyThatFileQuarantinedWithTheCounts() throws Exception {
    List<String> keys = IntStream.range(0, 3).mapToObj(i -> "pq/file-" + i + ".parquet").toList();
    List<byte[]> bodies = List.of(ParquetFiles.skuQty(List.of("a", "bb"), false),
        ParquetFiles.skuQty(List.of("ccc"), true), ParquetFiles.skuQty(List.of("dddd"), false));
    TableKey table = bulkLoaded("parquet", "CREATE TABLE public.rules_parquet (sku VARCHAR(32), qty INTEGER)",
        LocalPipeline.config("public.rules_parquet", "FORMAT AS PARQUET", "", ""), "pq/", keys, bodies);

    keys.forEach(k -> pipeline.awaitSettled(table, k));

    LedgerEntry bad = pipeline.entry(table, "pq/file-1.parquet");
    assertThat(bad.state()).isEqualTo(FileState.QUARANTINED);
    assertThat(bad.reason()).contains("Table columns: 2, Data columns: 3");
    assertThat(pipeline.entry(table, "pq/file-0.parquet").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.entry(table, "pq/file-2.parquet").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.rows("SELECT sku, qty FROM public.rules_parquet ORDER BY sku"))
        .containsExactly("a|1", "bb|2", "dddd|4");
  }
}
