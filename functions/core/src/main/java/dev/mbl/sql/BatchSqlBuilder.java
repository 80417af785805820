package dev.mbl.sql;

import dev.mbl.config.LoadMode;
import dev.mbl.config.TableConfig;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes the SQL of one batch: the statements that stage a manifest's files, apply them to the
 * target table (append or merge) and record the batch in the load-history table, all in one
 * transaction. Pure: no I/O, no clock; the same request always gives the same text.
 *
 * <p>Every statement is Redshift SQL; the local Data API emulator runs it on PostgreSQL, translating
 * the COPY and what {@code LIKE ... INCLUDING DEFAULTS} means on Redshift (identity included).
 * Only the loaded columns are named (see {@link ColumnPlan}), so Redshift fills identity and
 * default columns the files do not carry. Identifiers are always quoted through {@link Identifier}
 * and {@link TableName}, string literals always go through {@link SqlLiteral}. Re-running a batch
 * that already committed changes nothing: the staged rows are discarded when the history table
 * already holds the batch id. The rules are described in {@code docs/merge-semantics.md}.
 */
public final class BatchSqlBuilder {
  /** The most statements the Data API runs in one {@code BatchExecuteStatement}. */
  public static final int MAX_STATEMENTS = 40;
  /** The most bytes (UTF-8, all statements together) the Data API accepts in one batch. */
  public static final int MAX_TOTAL_BYTES = 100_000;

  private static final int APPEND_STATEMENTS = 6;
  private static final int MERGE_STATEMENTS = 10;

  private static final Identifier BATCH_ID = Identifier.of("batch_id");
  private static final List<Identifier> HISTORY_COLUMNS = List.of(BATCH_ID, Identifier.of("table_name"),
      Identifier.of("file_count"), Identifier.of("rows_staged"), Identifier.of("rows_loaded"),
      Identifier.of("manifest"), Identifier.of("loaded_at"));
  private static final List<String> HISTORY_TYPES = List.of("VARCHAR(64)", "VARCHAR(400)", "INTEGER",
      "BIGINT", "BIGINT", "VARCHAR(1024)", "TIMESTAMP");
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private BatchSqlBuilder() {}

  public static BatchSqlBuilder create() {
    return new BatchSqlBuilder();
  }

  /**
   * How many statements a batch of {@code mode} has besides the config's pre and post SQL; for
   * merge, the count with a merge timestamp (one more than without). Config validation can check
   * that pre plus post SQL stay within {@code MAX_STATEMENTS - fixedStatementCount(mode)}.
   */
  public static int fixedStatementCount(LoadMode mode) {
    return switch (Objects.requireNonNull(mode, "mode")) {
      case APPEND -> APPEND_STATEMENTS;
      case MERGE -> MERGE_STATEMENTS;
    };
  }

  /**
   * Builds the statements of one batch, in the order they must run.
   *
   * @throws SqlBuildException when the table has no columns, {@code copy.columns} does not fit the
   *     table (see {@link ColumnPlan}), a merge column is missing, not loaded or cannot be compared, a value cannot be written as a literal, or the result exceeds
   *     {@link #MAX_STATEMENTS} or {@link #MAX_TOTAL_BYTES}
   */
  public BatchSql build(BatchRequest request) {
    Objects.requireNonNull(request, "request");
    ColumnPlan plan = ColumnPlan.of(request);
    Names names = Names.of(request, plan.loaded());

    List<String> statements = new ArrayList<>();
    statements.add(createHistory(names.history()));
    statements.add(createStage(names, plan));
    statements.addAll(request.config().preSql());
    statements.add(copy(request, names, plan));
    statements.add("DELETE FROM " + names.stage() + " WHERE " + alreadyLoaded(names));
    String loaded;
    if (request.config().mode() == LoadMode.MERGE) {
      MergeStatements merge = new MergeStatements(names, plan.loaded(), plan.keys(), plan.timestamp());
      statements.addAll(merge.statements());
      loaded = names.latest();
    } else {
      statements.add("INSERT INTO " + names.target() + " (" + names.columns() + ") SELECT " + names.columns()
          + " FROM " + names.stage());
      loaded = names.stage();
    }
    statements.addAll(request.config().postSql());
    statements.add(recordHistory(request, names, loaded));
    checkLimits(request.config(), statements);
    return new BatchSql(statements);
  }

  /**
   * The staging table. Text, CSV and JSON files stage into a copy of the target with its defaults
   * and identity ("CREATE TABLE": LIKE copies defaults only with INCLUDING DEFAULTS), and COPY names
   * the loaded columns. PARQUET and ORC files map to the COPY table's columns by position and their
   * counts must match ("COPY from columnar data formats", which lists no column list); when the
   * files carry fewer columns than the target has, the staging table is made of exactly the loaded
   * columns, in file order.
   */
  private static String createStage(Names names, ColumnPlan plan) {
    if (plan.columnar() && !plan.wholeTable()) {
      return "CREATE TEMP TABLE " + names.stage() + " AS SELECT " + names.columns() + " FROM " + names.target()
          + " WHERE FALSE";
    }
    return createLike(names.stage(), names.target());
  }

  /** A temporary copy of {@code target}'s columns with their defaults and identity. */
  static String createLike(String table, String target) {
    return "CREATE TEMP TABLE " + table + " (LIKE " + target + " INCLUDING DEFAULTS)";
  }

  private static String createHistory(String history) {
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < HISTORY_COLUMNS.size(); i++) {
      columns.add(HISTORY_COLUMNS.get(i).quoted() + " " + HISTORY_TYPES.get(i) + " NOT NULL");
    }
    return "CREATE TABLE IF NOT EXISTS " + history + " (" + String.join(", ", columns) + ")";
  }

  private static String copy(BatchRequest request, Names names, ColumnPlan plan) {
    TableConfig config = request.config();
    String role = config.iamRole().strip();
    if (role.isEmpty()) {
      throw new SqlBuildException("table " + config.table() + ": the COPY IAM role is empty: give a role ARN or "
          + "'default' in config " + config.source());
    }
    String roleSql = role.equalsIgnoreCase("default") ? "default" : literal(request, "the IAM role", role);
    String into = plan.columnar() ? names.stage() : names.stage() + " (" + names.columns() + ")";
    List<String> parts = new ArrayList<>(List.of("COPY", into, "FROM",
        literal(request, "the manifest URL", request.manifestUrl()), "IAM_ROLE", roleSql, "MANIFEST"));
    String options = config.copyOptions().toSql().strip();
    if (!options.isEmpty()) {
      parts.add(options);
    }
    // "COPY from columnar data formats" lists STATUPDATE but not COMPUPDATE among the parameters it takes.
    parts.add(plan.columnar() ? "STATUPDATE OFF" : "COMPUPDATE OFF STATUPDATE OFF");
    return String.join(" ", parts);
  }

  private static String recordHistory(BatchRequest request, Names names, String loaded) {
    String values = String.join(", ", List.of(
        names.batchId(),
        literal(request, "the table name", request.config().table().toString()),
        Integer.toString(request.fileCount()),
        "(SELECT COUNT(*) FROM " + names.stage() + ")",
        "(SELECT COUNT(*) FROM " + loaded + ")",
        literal(request, "the manifest URL", request.manifestUrl()),
        "TIMESTAMP " + SqlLiteral.quote(TIMESTAMP.format(request.now()))));
    return "INSERT INTO " + names.history() + " (" + join(HISTORY_COLUMNS, Identifier::quoted) + ") SELECT "
        + values + " WHERE NOT " + alreadyLoaded(names);
  }

  private static String alreadyLoaded(Names names) {
    return "EXISTS (SELECT 1 FROM " + names.history() + " WHERE " + BATCH_ID.quoted() + " = " + names.batchId() + ")";
  }

  private static void checkLimits(TableConfig config, List<String> statements) {
    int userStatements = config.preSql().size() + config.postSql().size();
    if (statements.size() > MAX_STATEMENTS) {
      int fixed = statements.size() - userStatements;
      throw new SqlBuildException("table " + config.table() + ": the batch SQL has " + statements.size()
          + " statements (" + userStatements + " of them pre/post SQL), but the Data API runs at most "
          + MAX_STATEMENTS + " in one batch: shorten the pre/post SQL in config " + config.source()
          + " to at most " + (MAX_STATEMENTS - fixed) + " statements together");
    }
    int bytes = BatchSql.totalBytes(statements);
    if (bytes > MAX_TOTAL_BYTES) {
      int userBytes = BatchSql.totalBytes(config.preSql()) + BatchSql.totalBytes(config.postSql());
      throw new SqlBuildException("table " + config.table() + ": the batch SQL is " + bytes + " bytes ("
          + userBytes + " of them pre/post SQL), but the Data API accepts at most " + MAX_TOTAL_BYTES
          + " bytes in one batch: shorten the pre/post SQL in config " + config.source());
    }
  }

  /** A value as a literal; a value that cannot be one fails naming the table, the batch and the field. */
  static String literal(BatchRequest request, String what, String value) {
    try {
      return SqlLiteral.quote(value);
    } catch (IllegalArgumentException e) {
      throw new SqlBuildException("table " + request.config().table() + ", batch " + request.batchId() + ": "
          + what + " " + e.getMessage(), e);
    }
  }

  static <T> String join(List<T> items, Function<T, String> sql) {
    return items.stream().map(sql).collect(Collectors.joining(", "));
  }

  /** The quoted names and literals every statement of one batch shares. */
  record Names(String target, String history, String stage, String latest, String columns, String batchId) {
    static Names of(BatchRequest request, List<Column> loaded) {
      String suffix = request.batchId().toLowerCase(Locale.ROOT);
      return new Names(
          request.config().table().quoted(),
          request.config().historyTable().quoted(),
          Identifier.of("mbl_stage_" + suffix).quoted(),
          Identifier.of("mbl_latest_" + suffix).quoted(),
          join(loaded, c -> c.name().quoted()),
          literal(request, "the batch id", request.batchId()));
    }
  }
}
