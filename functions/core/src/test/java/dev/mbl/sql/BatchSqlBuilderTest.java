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
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchSqlBuilderTest {
  private static final String BATCH = "01JD3X9Q8R2V4W6Y8Z0A1B2C3D";
  private static final String MANIFEST = "s3://mbl-manifests/orders/01JD3X9Q8R2V4W6Y8Z0A1B2C3D.manifest";
  private static final String ROLE = "arn:aws:iam::123456789012:role/mbl-copy";
  private static final Instant NOW = Instant.parse("2024-11-20T10:15:30.123456789Z");
  private static final CopyOptions CSV = new CopyOptions(List.of("FORMAT AS CSV", "IGNOREHEADER 1"));
  private static final List<Column> COLUMNS = List.of(
      Column.of("id", "int8"), Column.of("amount", "numeric"), Column.of("updated_at", "timestamp"),
      Column.of("payload", "super"), Column.of("note", "varchar"));

  private static final String STAGE = "\"mbl_stage_01jd3x9q8r2v4w6y8z0a1b2c3d\"";
  private static final String LATEST = "\"mbl_latest_01jd3x9q8r2v4w6y8z0a1b2c3d\"";
  private static final String COLS = "\"id\", \"amount\", \"updated_at\", \"payload\", \"note\"";
  private static final String CREATE_HISTORY = "CREATE TABLE IF NOT EXISTS \"public\".\"mbl_load_history\" ("
      + "\"batch_id\" VARCHAR(64) NOT NULL, \"table_name\" VARCHAR(400) NOT NULL, \"file_count\" INTEGER NOT NULL, "
      + "\"rows_staged\" BIGINT NOT NULL, \"rows_loaded\" BIGINT NOT NULL, \"manifest\" VARCHAR(1024) NOT NULL, "
      + "\"loaded_at\" TIMESTAMP NOT NULL)";
  private static final String CREATE_STAGE =
      "CREATE TEMP TABLE " + STAGE + " (LIKE \"public\".\"orders\" INCLUDING DEFAULTS)";
  private static final String CREATE_LATEST =
      "CREATE TEMP TABLE " + LATEST + " (LIKE \"public\".\"orders\" INCLUDING DEFAULTS)";
  private static final String COPY = "COPY " + STAGE + " (" + COLS + ") FROM '" + MANIFEST + "' IAM_ROLE '" + ROLE
      + "' MANIFEST FORMAT AS CSV IGNOREHEADER 1 COMPUPDATE OFF STATUPDATE OFF";
  private static final String GUARD = "DELETE FROM " + STAGE + " WHERE EXISTS (SELECT 1 FROM "
      + "\"public\".\"mbl_load_history\" WHERE \"batch_id\" = '01JD3X9Q8R2V4W6Y8Z0A1B2C3D')";

  private final BatchSqlBuilder builder = BatchSqlBuilder.create();

  @Test
  void build_append_insertsEveryStagedRowAndRecordsHistory() {
    BatchSql sql = builder.build(request(config(LoadMode.APPEND, List.of(), null), 3));

    assertThat(sql.statements()).containsExactly(
        CREATE_HISTORY,
        CREATE_STAGE,
        COPY,
        GUARD,
        "INSERT INTO \"public\".\"orders\" (" + COLS + ") SELECT " + COLS + " FROM " + STAGE,
        history(3, STAGE));
  }

  @Test
  void build_mergeOneKeyWithTimestamp_keepsLatestPerKeyAndDropsOlderThanExisting() {
    BatchSql sql = builder.build(request(config(LoadMode.MERGE, List.of("id"), "updated_at"), 2));

    assertThat(sql.statements()).containsExactly(
        CREATE_HISTORY,
        CREATE_STAGE,
        COPY,
        GUARD,
        CREATE_LATEST,
        "INSERT INTO " + LATEST + " (" + COLS + ") SELECT " + COLS + " FROM (SELECT " + COLS
            + ", ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY \"updated_at\" DESC NULLS LAST, "
            + "\"amount\" DESC NULLS LAST, \"note\" DESC NULLS LAST) AS \"mbl_rn\" FROM " + STAGE
            + ") AS \"mbl_ranked\" WHERE \"mbl_rn\" = 1 OR \"id\" IS NULL",
        "DELETE FROM " + LATEST + " USING \"public\".\"orders\" WHERE " + LATEST + ".\"id\" = "
            + "\"public\".\"orders\".\"id\" AND ((" + LATEST + ".\"updated_at\" IS NULL AND "
            + "\"public\".\"orders\".\"updated_at\" IS NOT NULL) OR " + LATEST + ".\"updated_at\" < "
            + "\"public\".\"orders\".\"updated_at\")",
        "DELETE FROM \"public\".\"orders\" USING " + LATEST + " WHERE \"public\".\"orders\".\"id\" = "
            + LATEST + ".\"id\"",
        "INSERT INTO \"public\".\"orders\" (" + COLS + ") SELECT " + COLS + " FROM " + LATEST,
        history(2, LATEST));
  }

  @Test
  void build_mergeCompositeKeys_partitionsAndMatchesOnEveryKey() {
    List<Column> columns = List.of(Column.of("tenant", "varchar"), Column.of("id", "int8"),
        Column.of("ts", "timestamptz"), Column.of("v", "float8"));
    TableConfig config = config(LoadMode.MERGE, List.of("tenant", "id"), "ts");
    String cols = "\"tenant\", \"id\", \"ts\", \"v\"";

    List<String> statements = builder.build(request(config, columns, MANIFEST, ROLE)).statements();

    assertThat(statements.subList(4, 9)).containsExactly(
        CREATE_LATEST,
        "INSERT INTO " + LATEST + " (" + cols + ") SELECT " + cols + " FROM (SELECT " + cols
            + ", ROW_NUMBER() OVER (PARTITION BY \"tenant\", \"id\" ORDER BY \"ts\" DESC NULLS LAST, "
            + "\"v\" DESC NULLS LAST) AS \"mbl_rn\" FROM " + STAGE + ") AS \"mbl_ranked\" "
            + "WHERE \"mbl_rn\" = 1 OR \"tenant\" IS NULL OR \"id\" IS NULL",
        "DELETE FROM " + LATEST + " USING \"public\".\"orders\" WHERE " + LATEST + ".\"tenant\" = "
            + "\"public\".\"orders\".\"tenant\" AND " + LATEST + ".\"id\" = \"public\".\"orders\".\"id\" AND (("
            + LATEST + ".\"ts\" IS NULL AND \"public\".\"orders\".\"ts\" IS NOT NULL) OR " + LATEST
            + ".\"ts\" < \"public\".\"orders\".\"ts\")",
        "DELETE FROM \"public\".\"orders\" USING " + LATEST + " WHERE \"public\".\"orders\".\"tenant\" = "
            + LATEST + ".\"tenant\" AND \"public\".\"orders\".\"id\" = " + LATEST + ".\"id\"",
        "INSERT INTO \"public\".\"orders\" (" + cols + ") SELECT " + cols + " FROM " + LATEST);
  }

  @Test
  void build_mergeWithoutTimestamp_ranksByOtherColumnsAndKeepsNoOlderThanExistingStep() {
    BatchSql sql = builder.build(request(config(LoadMode.MERGE, List.of("id"), null), 1));

    assertThat(sql.statements()).containsExactly(
        CREATE_HISTORY,
        CREATE_STAGE,
        COPY,
        GUARD,
        CREATE_LATEST,
        "INSERT INTO " + LATEST + " (" + COLS + ") SELECT " + COLS + " FROM (SELECT " + COLS
            + ", ROW_NUMBER() OVER (PARTITION BY \"id\" ORDER BY \"amount\" DESC NULLS LAST, "
            + "\"updated_at\" DESC NULLS LAST, \"note\" DESC NULLS LAST) AS \"mbl_rn\" FROM " + STAGE
            + ") AS \"mbl_ranked\" WHERE \"mbl_rn\" = 1 OR \"id\" IS NULL",
        "DELETE FROM \"public\".\"orders\" USING " + LATEST + " WHERE \"public\".\"orders\".\"id\" = "
            + LATEST + ".\"id\"",
        "INSERT INTO \"public\".\"orders\" (" + COLS + ") SELECT " + COLS + " FROM " + LATEST,
        history(1, LATEST));
  }

  // "VARBYTE operators" documents < and = on VARBYTE, so it breaks ties; "SUPER type" documents no ordering.
  @Test
  void build_tieBreak_skipsUnorderableKeyAndTimestampColumnsButOrdersVarbyte() {
    List<Column> columns = List.of(Column.of("doc", "super"), Column.of("k", "int4"), Column.of("geo", "geometry"),
        Column.of("b", "varchar"), Column.of("t", "timestamp"), Column.of("raw", "varbyte"), Column.of("a", "int2"));
    TableConfig config = config(LoadMode.MERGE, List.of("k"), "t");

    String dedupe = builder.build(request(config, columns, MANIFEST, ROLE)).statements().get(5);

    assertThat(dedupe).contains(
        "ROW_NUMBER() OVER (PARTITION BY \"k\" ORDER BY \"t\" DESC NULLS LAST, \"b\" DESC NULLS LAST, "
            + "\"raw\" DESC NULLS LAST, \"a\" DESC NULLS LAST) AS \"mbl_rn\"");
  }

  @Test
  void build_onlyKeysAndUnorderableColumns_omitsOrderBy() {
    List<Column> columns = List.of(Column.of("k", "int4"), Column.of("doc", "super"));

    String dedupe = builder.build(request(config(LoadMode.MERGE, List.of("k"), null), columns, MANIFEST, ROLE))
        .statements().get(5);

    assertThat(dedupe).contains("ROW_NUMBER() OVER (PARTITION BY \"k\") AS \"mbl_rn\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "DEFAULT", "Default"})
  void build_iamRoleDefault_emitsUnquotedDefault(String role) {
    List<String> statements =
        builder.build(request(config(LoadMode.APPEND, List.of(), null), COLUMNS, MANIFEST, role)).statements();

    assertThat(statements.get(2)).isEqualTo("COPY " + STAGE + " (" + COLS + ") FROM '" + MANIFEST
        + "' IAM_ROLE default MANIFEST FORMAT AS CSV IGNOREHEADER 1 COMPUPDATE OFF STATUPDATE OFF");
  }

  @Test
  void build_noCopyOptions_leavesSingleSpaces() {
    TableConfig config = config(LoadMode.APPEND, List.of(), null, CopyOptions.NONE, List.of(), List.of());

    List<String> statements = builder.build(request(config, COLUMNS, MANIFEST, ROLE)).statements();

    assertThat(statements.get(2)).isEqualTo("COPY " + STAGE + " (" + COLS + ") FROM '" + MANIFEST + "' IAM_ROLE '"
        + ROLE + "' MANIFEST COMPUPDATE OFF STATUPDATE OFF");
  }

  @Test
  void build_preAndPostSql_runBeforeCopyAndBeforeHistoryVerbatim() {
    List<String> pre = List.of("SET query_group TO 'mbl'", "ANALYZE \"public\".\"orders\"");
    List<String> post = List.of("UPDATE \"public\".\"orders\" SET note = 'x' WHERE note IS NULL", "SELECT 1");
    TableConfig config = config(LoadMode.MERGE, List.of("id"), "updated_at", CSV, pre, post);

    List<String> statements = builder.build(request(config, COLUMNS, MANIFEST, ROLE)).statements();

    assertThat(statements).hasSize(BatchSqlBuilder.fixedStatementCount(LoadMode.MERGE) + 4);
    assertThat(statements.subList(0, 5)).containsExactly(CREATE_HISTORY, CREATE_STAGE, pre.get(0), pre.get(1), COPY);
    assertThat(statements.get(5)).isEqualTo(GUARD);
    assertThat(statements.get(10)).startsWith("INSERT INTO \"public\".\"orders\" ");
    assertThat(statements.subList(11, 14)).containsExactly(post.get(0), post.get(1), history(2, LATEST));
  }

  @Test
  void build_quotesInManifestUrlAndRoleArn_doublesThem() {
    String manifest = "s3://bucket/it's/o'neil.manifest";
    String role = "arn:aws:iam::123456789012:role/a',arn:aws:iam::123456789012:role/b";

    BatchSql sql = builder.build(request(config(LoadMode.APPEND, List.of(), null), COLUMNS, manifest, role));

    assertThat(sql.statements().get(2)).isEqualTo("COPY " + STAGE + " (" + COLS + ") FROM "
        + "'s3://bucket/it''s/o''neil.manifest' "
        + "IAM_ROLE 'arn:aws:iam::123456789012:role/a'',arn:aws:iam::123456789012:role/b' MANIFEST "
        + "FORMAT AS CSV IGNOREHEADER 1 COMPUPDATE OFF STATUPDATE OFF");
    assertThat(sql.statements().get(5)).contains(", 's3://bucket/it''s/o''neil.manifest', TIMESTAMP");
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://bucket/a\\'; DROP TABLE x; --", "s3://bucket/a\nb", "s3://bucket/a\u0000b"})
  void build_backslashOrControlCharInManifestUrl_throwsNamingTableWithoutEchoingValue(String manifest) {
    BatchRequest request = request(config(LoadMode.APPEND, List.of(), null), COLUMNS, manifest, ROLE);

    assertThatThrownBy(() -> builder.build(request))
        .isInstanceOf(SqlBuildException.class)
        .hasMessageStartingWith("table public.orders, batch " + BATCH + ": the manifest URL contains ")
        .hasMessageNotContaining("DROP");
  }

  @Test
  void build_manyFiles_hasSameStatementsAsOneFileExceptTheCount() {
    TableConfig config = config(LoadMode.MERGE, List.of("id"), "updated_at");

    BatchSql one = builder.build(request(config, 1));
    BatchSql thousand = builder.build(request(config, 1_000));

    assertThat(thousand.statements()).hasSameSizeAs(one.statements());
    assertThat(thousand.statements().subList(0, 9)).isEqualTo(one.statements().subList(0, 9));
    assertThat(thousand.totalBytes()).isEqualTo(one.totalBytes() + 3);
  }

  @Test
  void fixedStatementCount_eachMode_matchesBuiltStatementsWithoutPrePostSql() {
    assertThat(builder.build(request(config(LoadMode.APPEND, List.of(), null), 1)).statements())
        .hasSize(BatchSqlBuilder.fixedStatementCount(LoadMode.APPEND));
    assertThat(builder.build(request(config(LoadMode.MERGE, List.of("id"), "updated_at"), 1)).statements())
        .hasSize(BatchSqlBuilder.fixedStatementCount(LoadMode.MERGE));
    assertThat(builder.build(request(config(LoadMode.MERGE, List.of("id"), null), 1)).statements())
        .hasSize(BatchSqlBuilder.fixedStatementCount(LoadMode.MERGE) - 1);
  }

  @Test
  void build_mergeNullKeys_areAppendedNeverDropped() {
    List<Column> columns = List.of(Column.of("a", "int4"), Column.of("b", "int4"), Column.of("v", "varchar"));
    List<String> statements =
        builder.build(request(config(LoadMode.MERGE, List.of("a", "b"), null), columns, MANIFEST, ROLE)).statements();

    assertThat(statements.get(5)).endsWith("WHERE \"mbl_rn\" = 1 OR \"a\" IS NULL OR \"b\" IS NULL");
    assertThat(statements).noneMatch(s -> s.contains("\"a\" IS NOT NULL") || s.contains("\"b\" IS NOT NULL"));
    assertThat(statements).filteredOn(s -> s.startsWith("DELETE FROM \"public\".\"orders\""))
        .singleElement().asString().doesNotContain("NULL");
  }

  @Test
  void build_tooManyStatements_throwsNamingConfigAndAllowance() {
    List<String> pre = Collections.nCopies(20, "SELECT 1");
    List<String> post = Collections.nCopies(11, "SELECT 2");
    TableConfig config = config(LoadMode.MERGE, List.of("id"), "updated_at", CSV, pre, post);

    assertThatThrownBy(() -> builder.build(request(config, COLUMNS, MANIFEST, ROLE)))
        .isInstanceOf(SqlBuildException.class)
        .hasMessage("table public.orders: the batch SQL has 41 statements (31 of them pre/post SQL), but the "
            + "Data API runs at most 40 in one batch: shorten the pre/post SQL in config "
            + "s3://mbl-config/orders.json to at most 30 statements together");
  }

  @Test
  void build_exactlyFortyStatements_isAccepted() {
    TableConfig config = config(LoadMode.MERGE, List.of("id"), "updated_at", CSV,
        Collections.nCopies(30, "SELECT 1"), List.of());

    assertThat(builder.build(request(config, COLUMNS, MANIFEST, ROLE)).statements()).hasSize(40);
  }

  @Test
  void build_tooManyBytes_throwsNamingConfig() {
    String big = "SELECT '" + "x".repeat(99_000) + "'";
    TableConfig config = config(LoadMode.APPEND, List.of(), null, CSV, List.of(big), List.of());

    assertThatThrownBy(() -> builder.build(request(config, COLUMNS, MANIFEST, ROLE)))
        .isInstanceOf(SqlBuildException.class)
        .hasMessage("table public.orders: the batch SQL is 100538 bytes (99009 of them pre/post SQL), but the "
            + "Data API accepts at most 100000 bytes in one batch: shorten the pre/post SQL in config "
            + "s3://mbl-config/orders.json");
  }

  @Test
  void build_noColumns_throwsAskingToDescribeTable() {
    BatchRequest request = request(config(LoadMode.APPEND, List.of(), null), List.of(), MANIFEST, ROLE);

    assertThatThrownBy(() -> builder.build(request))
        .isInstanceOf(SqlBuildException.class)
        .hasMessage("table public.orders has no columns: describe the table first "
            + "(does it exist, and may the load's database user see it?)");
  }

  @Test
  void build_mergeColumnsMissing_throwsListingEveryProblemAndTheTablesColumns() {
    TableConfig config = config(LoadMode.MERGE, List.of("id", "order_id"), "modified");

    assertThatThrownBy(() -> builder.build(request(config, COLUMNS, MANIFEST, ROLE)))
        .isInstanceOf(SqlBuildException.class)
        .hasMessage("table public.orders: merge key \"order_id\" is not a column; merge timestamp \"modified\" is "
            + "not a column (its columns: id, amount, updated_at, payload, note): fix the merge keys / merge "
            + "timestamp in config s3://mbl-config/orders.json");
  }

  @Test
  void build_mergeTimestampUnorderable_throws() {
    TableConfig config = config(LoadMode.MERGE, List.of("id"), "payload");

    assertThatThrownBy(() -> builder.build(request(config, COLUMNS, MANIFEST, ROLE)))
        .isInstanceOf(SqlBuildException.class)
        .hasMessageContaining("merge timestamp \"payload\" has type super, which cannot be compared");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "01JD'; DROP TABLE orders; --", "01JD\"x", "01jd 3x", "01JD-3X", "\u00e91JD",
      "0123456789012345678901234567890123456789012345678901234567890123X"})
  void batchRequest_hostileBatchId_throwsWithoutRunningAnySql(String batchId) {
    TableConfig config = config(LoadMode.APPEND, List.of(), null);

    assertThatThrownBy(() -> new BatchRequest(config, COLUMNS, MANIFEST, batchId, 1, NOW))
        .isInstanceOf(SqlBuildException.class)
        .hasMessageStartingWith("table public.orders: batch id '")
        .hasMessageEndingWith("is not allowed: use 1 to 64 ASCII letters and digits, such as a ULID");
  }

  @Test
  void batchRequest_manifestNotS3_throws() {
    TableConfig config = config(LoadMode.APPEND, List.of(), null);

    assertThatThrownBy(() -> new BatchRequest(config, COLUMNS, "https://x/y", BATCH, 1, NOW))
        .isInstanceOf(SqlBuildException.class)
        .hasMessage("table public.orders, batch " + BATCH + ": manifest URL must be s3://bucket/key");
  }

  @Test
  void totalBytes_multibyteStatements_countsUtf8Bytes() {
    assertThat(new BatchSql(List.of("SELECT 'é'", "SELECT 1")).totalBytes()).isEqualTo(11 + 8);
  }

  private static String history(int files, String loadedFrom) {
    return "INSERT INTO \"public\".\"mbl_load_history\" (\"batch_id\", \"table_name\", \"file_count\", "
        + "\"rows_staged\", \"rows_loaded\", \"manifest\", \"loaded_at\") SELECT '" + BATCH + "', 'public.orders', "
        + files + ", (SELECT COUNT(*) FROM " + STAGE + "), (SELECT COUNT(*) FROM " + loadedFrom + "), '" + MANIFEST
        + "', TIMESTAMP '2024-11-20 10:15:30.123456' WHERE NOT EXISTS (SELECT 1 FROM "
        + "\"public\".\"mbl_load_history\" WHERE \"batch_id\" = '" + BATCH + "')";
  }

  private static BatchRequest request(TableConfig config, int files) {
    return new BatchRequest(config, COLUMNS, MANIFEST, BATCH, files, NOW);
  }

  private static BatchRequest request(TableConfig config, List<Column> columns, String manifest, String role) {
    TableConfig withRole = new TableConfig(config.source(), config.target(), config.table(), role,
        config.copyOptions(), config.mode(), config.mergeKeys(), config.mergeTimestamp(), config.limits(),
        config.preSql(), config.postSql(), config.statementPrefix(), config.historyTable(), config.maxAttempts());
    return new BatchRequest(withRole, columns, manifest, BATCH, 2, NOW);
  }

  private static TableConfig config(LoadMode mode, List<String> keys, String timestamp) {
    return config(mode, keys, timestamp, CSV, List.of(), List.of());
  }

  private static TableConfig config(LoadMode mode, List<String> keys, String timestamp, CopyOptions options,
      List<String> pre, List<String> post) {
    return new TableConfig(ConfigRef.s3("mbl-config", "orders.json"), WarehouseTarget.cluster("analytics", "dev"),
        TableName.of("public", "orders"), ROLE, options, mode, keys.stream().map(Identifier::of).toList(),
        timestamp == null ? null : Identifier.of(timestamp), BatchLimits.DEFAULT, pre, post,
        TableConfig.DEFAULT_STATEMENT_PREFIX, TableName.of("public", "mbl_load_history"), TableConfig.DEFAULT_MAX_ATTEMPTS);
  }
}
