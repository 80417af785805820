package dev.mbl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.load.TableKey;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tables a data engineer brings, loaded end to end through the strict Redshift emulator: IDENTITY
 * columns, NOT NULL DEFAULT columns the files omit, and column names Redshift allows
 * ("CREATE TABLE", "Column mapping options", "Names and identifiers"); and configs Redshift
 * would refuse, rejected before any file is touched ("COPY from columnar data formats", "VACUUM").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedshiftTablesIT {
  private static final String BUCKET = "mbl-tables-it";

  private LocalPipeline pipeline;

  @BeforeAll
  void start() throws IOException {
    pipeline = new LocalPipeline();
  }

  @AfterAll
  void stop() throws IOException {
    pipeline.close();
  }

  @Test
  void identityColumn_filesWithoutIt_loadAndRedshiftNumbersTheRows() throws Exception {
    TableKey table = pipeline.table("identity", "CREATE TABLE public.rules_identity (id BIGINT IDENTITY(1,1), "
        + "sku VARCHAR(32) NOT NULL, qty INTEGER)", LocalPipeline.config("public.rules_identity",
        "FORMAT AS CSV IGNOREHEADER 1", "", ""), BUCKET, "identity/");

    pipeline.upload(BUCKET, "identity/a.csv", "sku,qty\nA,1\nB,2\n");
    pipeline.upload(BUCKET, "identity/b.csv", "sku,qty\nC,3\n");

    assertThat(pipeline.awaitSettled(table, "identity/a.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.awaitSettled(table, "identity/b.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.rows("SELECT sku, qty FROM public.rules_identity ORDER BY sku"))
        .containsExactly("A|1", "B|2", "C|3");
    assertThat(pipeline.rows("SELECT COUNT(DISTINCT id) FROM public.rules_identity WHERE id IS NOT NULL"))
        .containsExactly("3");
  }

  @Test
  void notNullDefaultColumn_filesOmitIt_mergeLoadsAndTheDefaultApplies() throws Exception {
    TableKey table = pipeline.table("defaults", "CREATE TABLE public.rules_default (id BIGINT NOT NULL, "
        + "note VARCHAR(32), source VARCHAR(16) NOT NULL DEFAULT 'mbl', updated_at TIMESTAMP)",
        LocalPipeline.config("public.rules_default", "FORMAT AS CSV IGNOREHEADER 1",
            ",\"columns\":[\"id\",\"note\",\"updated_at\"]",
            "\"merge_duplicate_pks\":true,\"merge_pk\":\"id\",\"merge_timestamp\":\"updated_at\""),
        BUCKET, "defaults/");

    pipeline.upload(BUCKET, "defaults/1.csv", "id,note,updated_at\n1,first,2026-11-21 10:00:00\n"
        + "2,two,2026-11-21 10:00:00\n");
    assertThat(pipeline.awaitSettled(table, "defaults/1.csv").state()).isEqualTo(FileState.LOADED);
    pipeline.upload(BUCKET, "defaults/2.csv", "id,note,updated_at\n1,second,2026-11-21 11:00:00\n");

    assertThat(pipeline.awaitSettled(table, "defaults/2.csv").state()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.rows("SELECT id, note, source FROM public.rules_default ORDER BY id"))
        .containsExactly("1|second|mbl", "2|two|mbl");
  }

  @Test
  void mixedCaseUtf8ColumnNames_csvLoadsByPosition() throws Exception {
    // "Names and identifiers": delimited identifiers may hold any printable character; ASCII
    // letters fold to lower case, multibyte letters keep theirs, so the column stays mixed case.
    TableKey table = pipeline.table("utf8", "CREATE TABLE public.rules_utf8 (\"Ärger Zähler\" INTEGER, "
        + "\"Größe\" VARCHAR(32), \"quote\"\"d\" VARCHAR(8))", LocalPipeline.config("public.rules_utf8",
        "FORMAT AS CSV", "", ""), BUCKET, "utf8/");

    pipeline.upload(BUCKET, "utf8/a.csv", "7,groß,q\n8,klein,r\n");

    LedgerEntry entry = pipeline.awaitSettled(table, "utf8/a.csv");
    assertThat(entry.state()).as(entry.reason()).isEqualTo(FileState.LOADED);
    assertThat(pipeline.rows("SELECT * FROM public.rules_utf8 ORDER BY 1")).containsExactly("7|groß|q", "8|klein|r");
  }

  @Test
  void parquetConfigWithMaxerror_rejectedAtConfigTimeNamingTheDocument_fileLoadsOnceFixed() {
    String fixed = LocalPipeline.config("public.rules_parquet_cfg", "FORMAT AS PARQUET", "", "");
    TableKey table = pipeline.table("parquetcfg", "CREATE TABLE public.rules_parquet_cfg (sku VARCHAR(32), "
        + "qty INTEGER)", fixed.replace("FORMAT AS PARQUET", "FORMAT AS PARQUET MAXERROR 10"), BUCKET, "pcfg/");

    pipeline.upload(BUCKET, "pcfg/a.parquet", ParquetFiles.skuQty(List.of("A"), false));

    LocalPipeline.await("the config error is logged", () -> pipeline.log().contains("MAXERROR")
        && pipeline.log().contains("COPY from columnar data formats"));
    assertThat(pipeline.entry(table, "pcfg/a.parquet")).as("nothing is ledgered, nothing quarantined").isNull();

    pipeline.stack().putConfig(pipeline.stack().table("parquetcfg").orElseThrow().configKey(),
        fixed.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(pipeline.awaitSettled(table, "pcfg/a.parquet").state()).isEqualTo(FileState.LOADED);
  }

  @Test
  void postSqlVacuum_rejectedAtConfigTimeNamingTheDocument() {
    pipeline.table("vacuum", "CREATE TABLE public.rules_vacuum (id INTEGER)", LocalPipeline.config(
        "public.rules_vacuum", "FORMAT AS CSV", "", "\"post_sql\":[\"VACUUM public.rules_vacuum\"]"),
        BUCKET, "vacuum/");

    pipeline.upload(BUCKET, "vacuum/a.csv", "1\n");

    LocalPipeline.await("the config error is logged", () -> pipeline.log().contains("VACUUM")
        && pipeline.log().contains("post_sql") && pipeline.log().contains("transaction"));
    assertThat(pipeline.tracker().ledgerEntries(TableKey.parse("analytics/dev/public.rules_vacuum")))
        .as("a config Redshift would refuse never costs a file").isEmpty();
  }
}
