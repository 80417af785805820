package dev.mbl.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.config.BatchLimits;
import dev.mbl.config.ConfigRef;
import dev.mbl.config.CopyOptions;
import dev.mbl.config.LoadMode;
import dev.mbl.config.TableConfig;
import dev.mbl.config.WarehouseTarget;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loaded-columns branches of {@link BatchSqlBuilder}: identity and default columns, copy.columns,
 * columnar formats and names that need delimiting ("Column mapping options", "CREATE TABLE",
 * "COPY from columnar data formats", "Names and identifiers").
 */
class BatchSqlColumnsTest {
  private static final String BATCH = "01JD3X9Q8R2V4W6Y8Z0A1B2C3D";
  private static final String MANIFEST = "s3://mbl-manifests/m.manifest";
  private static final String STAGE = "\"mbl_stage_01jd3x9q8r2v4w6y8z0a1b2c3d\"";
  private static final String LATEST = "\"mbl_latest_01jd3x9q8r2v4w6y8z0a1b2c3d\"";
  private static final String TARGET = "\"public\".\"orders\"";
  private static final String FROM = " FROM '" + MANIFEST + "' IAM_ROLE default MANIFEST ";
  private static final CopyOptions CSV = CopyOptions.parse("CSV");
  private static final CopyOptions PARQUET = CopyOptions.parse("PARQUET");
  private static final Column ID = Column.described("id", "int8", "\"identity\"(106342, 0, '1,1'::text)", 0);
  private static final Column NOTE = Column.described("note", "varchar", null, 1);
  private static final Column LOADED_AT = Column.described("loaded_at", "timestamp", "getdate()", 0);
  private static final Column SKU = Column.described("sku", "varchar", null, 0);

  private final BatchSqlBuilder builder = BatchSqlBuilder.create();

  // "CREATE TABLE": LIKE copies defaults (identity included) only with INCLUDING DEFAULTS;
  // "Column mapping options": omitted columns get their DEFAULT, identity columns are left out.
  @Test
  void build_appendIdentityAndDefaultColumns_loadsOnlyTheOthers() {
    List<String> sql = build(config(CSV, List.of(), LoadMode.APPEND, List.of()), List.of(ID, SKU, NOTE, LOADED_AT));

    assertThat(sql.get(1)).isEqualTo("CREATE TEMP TABLE " + STAGE + " (LIKE " + TARGET + " INCLUDING DEFAULTS)");
    assertThat(sql.get(2)).isEqualTo("COPY " + STAGE + " (\"sku\", \"note\", \"loaded_at\")" + FROM
        + "FORMAT AS CSV COMPUPDATE OFF STATUPDATE OFF");
    assertThat(sql.get(4)).isEqualTo("INSERT INTO " + TARGET + " (\"sku\", \"note\", \"loaded_at\") SELECT "
        + "\"sku\", \"note\", \"loaded_at\" FROM " + STAGE);
  }

  @Test
  void build_columnsOmitNotNullDefaultColumn_copiesAndInsertsOnlyThoseColumnsInFileOrder() {
    List<String> sql = build(config(CSV, List.of("note", "SKU"), LoadMode.APPEND, List.of()),
        List.of(ID, SKU, NOTE, LOADED_AT));

    assertThat(sql.get(2)).startsWith("COPY " + STAGE + " (\"note\", \"sku\") FROM ");
    assertThat(sql.get(4)).isEqualTo("INSERT INTO " + TARGET + " (\"note\", \"sku\") SELECT \"note\", \"sku\" FROM "
        + STAGE);
  }

  @Test
  void build_mergeWithIdentity_latestKeepsDefaultsAndTieBreaksUseOnlyLoadedColumns() {
    List<String> sql = build(config(CSV, List.of("sku", "note"), LoadMode.MERGE, List.of("SKU")),
        List.of(ID, SKU, NOTE, LOADED_AT));

    assertThat(sql.get(4)).isEqualTo("CREATE TEMP TABLE " + LATEST + " (LIKE " + TARGET + " INCLUDING DEFAULTS)");
    assertThat(sql.get(5)).isEqualTo("INSERT INTO " + LATEST + " (\"sku\", \"note\") SELECT \"sku\", \"note\" FROM "
        + "(SELECT \"sku\", \"note\", ROW_NUMBER() OVER (PARTITION BY \"sku\" ORDER BY \"note\" DESC NULLS LAST) AS "
        + "\"mbl_rn\" FROM " + STAGE + ") AS \"mbl_ranked\" WHERE \"mbl_rn\" = 1 OR \"sku\" IS NULL");
    assertThat(sql.get(6)).isEqualTo("DELETE FROM " + TARGET + " USING " + LATEST + " WHERE " + TARGET
        + ".\"sku\" = " + LATEST + ".\"sku\"");
    assertThat(sql.get(7)).isEqualTo("INSERT INTO " + TARGET + " (\"sku\", \"note\") SELECT \"sku\", \"note\" FROM "
        + LATEST);
  }

  // "Names and identifiers": delimited identifiers keep case (with enable_case_sensitive_identifier),
  // may hold UTF-8 multibyte characters, spaces and "" for a double quote.
  @Test
  void build_mixedCaseUtf8AndQuotedNames_delimitedAndMergeKeyMatchedIgnoringCase() {
    Column size = Column.described("Größe", "int4", null, 1);
    Column odd = Column.described("order \"no\" 订单", "varchar", null, 1);
    List<String> sql = build(config(CSV, List.of(), LoadMode.MERGE, List.of("größe")), List.of(size, odd));

    String cols = "\"Größe\", \"order \"\"no\"\" 订单\"";
    assertThat(sql.get(2)).startsWith("COPY " + STAGE + " (" + cols + ") FROM ");
    assertThat(sql.get(5)).contains("PARTITION BY \"Größe\" ORDER BY \"order \"\"no\"\" 订单\" DESC NULLS LAST");
    assertThat(sql.get(7)).isEqualTo("INSERT INTO " + TARGET + " (" + cols + ") SELECT " + cols + " FROM " + LATEST);
  }

  // "COPY from columnar data formats": no column list; columns map by position and counts must
  // match; COMPUPDATE is not among the parameters it takes, STATUPDATE is.
  @Test
  void build_parquetWholeTable_likeStageNoColumnListNoCompupdate() {
    List<String> sql = build(config(PARQUET, List.of(), LoadMode.APPEND, List.of()), List.of(SKU, NOTE));

    assertThat(sql.get(1)).isEqualTo("CREATE TEMP TABLE " + STAGE + " (LIKE " + TARGET + " INCLUDING DEFAULTS)");
    assertThat(sql.get(2)).isEqualTo("COPY " + STAGE + FROM + "FORMAT AS PARQUET STATUPDATE OFF");
  }

  @Test
  void build_parquetWithIdentity_stagesExactlyTheLoadedColumnsInFileOrder() {
    List<String> sql = build(config(PARQUET, List.of(), LoadMode.APPEND, List.of()), List.of(ID, SKU, NOTE, LOADED_AT));

    assertThat(sql.get(1)).isEqualTo("CREATE TEMP TABLE " + STAGE + " AS SELECT \"sku\", \"note\", \"loaded_at\" FROM "
        + TARGET + " WHERE FALSE");
    assertThat(sql.get(2)).isEqualTo("COPY " + STAGE + FROM + "FORMAT AS PARQUET STATUPDATE OFF");
    assertThat(sql.get(4)).isEqualTo("INSERT INTO " + TARGET + " (\"sku\", \"note\", \"loaded_at\") SELECT "
        + "\"sku\", \"note\", \"loaded_at\" FROM " + STAGE);
  }

  @Test
  void build_explicitIdsWithDefaultIdentity_loadsTheIdentityColumn() {
    Column byDefault = Column.described("id", "int8", "default_identity(106342, 0, '1,1'::text)", 0);
    List<String> sql = build(config(CopyOptions.parse("CSV EXPLICIT_IDS"), List.of(), LoadMode.APPEND, List.of()),
        List.of(byDefault, SKU));

    assertThat(sql.get(2)).startsWith("COPY " + STAGE + " (\"id\", \"sku\") FROM ").endsWith(
        "FORMAT AS CSV EXPLICIT_IDS COMPUPDATE OFF STATUPDATE OFF");
  }

  @Test
  void build_columnsUnknownRepeatedOrIdentity_throwsListingEachWithTheTablesColumns() {
    TableConfig config = config(CSV, List.of("sku", "nope", "SKU", "id"), LoadMode.APPEND, List.of());

    assertThatThrownBy(() -> build(config, List.of(ID, SKU, NOTE)))
        .isInstanceOf(SqlBuildException.class)
        .hasMessage("table public.orders: copy.columns names \"nope\", which is not a column; copy.columns names "
            + "\"sku\" twice; \"id\" is an IDENTITY column, whose values Redshift generates and whose given values "
            + "it refuses when mbl inserts the staged rows (\"CREATE TABLE\", Amazon Redshift Database Developer "
            + "Guide): leave it out of copy.columns and drop EXPLICIT_IDS, or make it GENERATED BY DEFAULT AS "
            + "IDENTITY (its columns: id, sku, note): fix copy.columns or copy.options in config "
            + "s3://mbl-config/orders.json");
  }

  @Test
  void build_explicitIdsWithPlainIdentity_throws() {
    TableConfig config = config(CopyOptions.parse("CSV EXPLICIT_IDS"), List.of(), LoadMode.APPEND, List.of());

    assertThatThrownBy(() -> build(config, List.of(ID, SKU)))
        .isInstanceOf(SqlBuildException.class).hasMessageContaining("\"id\" is an IDENTITY column");
  }

  @Test
  void build_columnsLeaveOutNotNullWithoutDefault_throwsBeforeCopyFailsEveryFile() {
    TableConfig config = config(CSV, List.of("note"), LoadMode.APPEND, List.of());

    assertThatThrownBy(() -> build(config, List.of(SKU, NOTE)))
        .isInstanceOf(SqlBuildException.class)
        .hasMessageContaining("\"sku\" is NOT NULL without a DEFAULT, and copy.columns leaves it out, so COPY would "
            + "fail every file (\"Column mapping options\", Amazon Redshift Database Developer Guide)");
  }

  @Test
  void build_mergeKeyIsIdentity_throwsAsNotLoaded() {
    TableConfig config = config(CSV, List.of(), LoadMode.MERGE, List.of("id"));

    assertThatThrownBy(() -> build(config, List.of(ID, SKU)))
        .isInstanceOf(SqlBuildException.class)
        .hasMessageContaining("merge key \"id\" is not loaded from the files (an identity column, or not in "
            + "copy.columns)")
        .hasMessageEndingWith("fix the merge keys / merge timestamp in config s3://mbl-config/orders.json");
  }

  private List<String> build(TableConfig config, List<Column> columns) {
    return builder.build(new BatchRequest(config, columns, MANIFEST, BATCH, 1, Instant.EPOCH)).statements();
  }

  private static TableConfig config(CopyOptions options, List<String> columns, LoadMode mode, List<String> keys) {
    return new TableConfig(ConfigRef.s3("mbl-config", "orders.json"), WarehouseTarget.cluster("analytics", "dev"),
        TableName.of("public", "orders"), "default", options, columns.stream().map(Identifier::exact).toList(), mode,
        keys.stream().map(Identifier::exact).toList(), null, BatchLimits.DEFAULT, List.of(), List.of(),
        TableConfig.DEFAULT_STATEMENT_PREFIX, TableName.of("public", "mbl_load_history"),
        TableConfig.DEFAULT_MAX_ATTEMPTS);
  }
}
