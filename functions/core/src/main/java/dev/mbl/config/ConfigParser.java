package dev.mbl.config;

import static dev.mbl.config.ConfigDocument.COLUMNS;
import static dev.mbl.config.ConfigDocument.COPY_OPTIONS;
import static dev.mbl.config.ConfigDocument.HISTORY_TABLE;
import static dev.mbl.config.ConfigDocument.EXPECT_NEW_DATA_WITHIN;
import static dev.mbl.config.ConfigDocument.MAX_ATTEMPTS;
import static dev.mbl.config.ConfigDocument.MAX_BATCH_BYTES;
import static dev.mbl.config.ConfigDocument.MAX_BATCH_FILES;
import static dev.mbl.config.ConfigDocument.MERGE_KEYS;
import static dev.mbl.config.ConfigDocument.MERGE_PK;
import static dev.mbl.config.ConfigDocument.MERGE_TIMESTAMP;
import static dev.mbl.config.ConfigDocument.MODE;
import static dev.mbl.config.ConfigDocument.ROOT;
import static dev.mbl.config.ConfigDocument.STATEMENT_PREFIX;
import static dev.mbl.config.ConfigDocument.TABLE_NAME;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mbl.config.ConfigDocument.Copy;
import dev.mbl.config.ConfigDocument.Item;
import dev.mbl.config.ConfigDocument.Options;
import dev.mbl.sql.Identifier;
import dev.mbl.sql.TableName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a table config's JSON into a validated {@link TableConfig}: bytes, then the document as
 * written ({@link ConfigDocument}), then the checked record. Accepts the seed's format unchanged
 * plus the extensions described in {@code docs/configuration.md}. Stateless and thread-safe.
 */
public final class ConfigParser {
  /** The most statements the Data API runs in one {@code BatchExecuteStatement}. */
  public static final int MAX_BATCH_STATEMENTS = 40;
  /**
   * Statements an append batch runs besides pre_sql and post_sql. The SQL builder must agree
   * ({@code BatchSqlBuilder.fixedStatementCount}; a test checks that it does).
   */
  public static final int APPEND_FIXED_STATEMENTS = 6;
  /** As {@link #APPEND_FIXED_STATEMENTS}, for a merge batch with a merge timestamp (the larger case). */
  public static final int MERGE_FIXED_STATEMENTS = 10;
  /**
   * The most bytes (UTF-8) pre_sql and post_sql may hold together: the Data API takes 100 KB per
   * batch and mbl's own statements need the rest.
   */
  public static final int MAX_USER_SQL_BYTES = 90_000;
  /** Redshift chains at most ten roles in one IAM_ROLE value. */
  public static final int MAX_CHAINED_ROLES = 10;
  /** The most transient-failure attempts a config may ask for. */
  public static final int MAX_MAX_ATTEMPTS = 100;

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

  private final ObjectMapper mapper;
  private final String region;

  private ConfigParser(ObjectMapper mapper, String region) {
    this.mapper = mapper;
    this.region = region;
  }

  /**
   * A parser that does not know the region mbl runs in: a COPY {@code REGION} is checked only for
   * its form. For offline validation (deployment tooling); the handlers use {@link #forRegion}.
   */
  public static ConfigParser create() {
    return new ConfigParser(mapper(), null);
  }

  /**
   * A parser for mbl running in {@code region} (e.g. {@code Settings.region()}, from AWS_REGION):
   * a COPY {@code REGION} must name that region, where mbl writes the manifest.
   */
  public static ConfigParser forRegion(String region) {
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("the region mbl runs in is missing: pass AWS_REGION's value");
    }
    return new ConfigParser(mapper(), region.strip().toLowerCase(Locale.ROOT));
  }

  /** Rejects duplicate keys and anything after the JSON object. */
  private static ObjectMapper mapper() {
    return JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /**
   * Parses and validates one table config.
   *
   * @param json the config as UTF-8 JSON; null or empty is reported as a problem
   * @param source where the bytes came from; named by every error; not null
   * @throws InvalidConfigException listing every problem with its JSON path and how to fix it
   */
  public TableConfig parse(byte[] json, ConfigRef source) {
    Objects.requireNonNull(source, "source");
    Problems problems = new Problems();
    ConfigDocument document = ConfigDocument.read(readTree(json, source), problems);

    WarehouseTarget target = document.cluster() == null ? null : ConnectionRules.target(document.cluster(), problems);
    Copy copy = document.copy();
    TableName table = copy == null ? null : tableName(TABLE_NAME, copy.tableName(), problems);
    String role = copy == null ? null : ConnectionRules.iamRole(copy.roleArn(), problems);
    CopyOptions copyOptions = copy == null ? null : copyOptions(copy.options(), problems);
    List<Identifier> columns = copy == null ? List.of() : columns(copy.columns(), problems);

    Options options = document.options();
    LoadMode mode = mode(options, problems);
    List<Identifier> keys = mode == LoadMode.MERGE ? mergeKeys(options, problems) : List.of();
    Identifier timestamp = mode == LoadMode.MERGE ? mergeTimestamp(options, keys, problems) : null;
    BatchLimits limits = limits(options, problems);
    checkLoaded(columns, keys, timestamp, problems);
    List<String> preSql = UserSql.statements(options.preSql(), problems);
    List<String> postSql = UserSql.statements(options.postSql(), problems);
    if (mode != null) {
      UserSql.checkBudget(mode, preSql, postSql, problems);
    }
    String prefix = statementPrefix(options.statementPrefix(), problems);
    TableName history = options.historyTable() == null
        ? defaultHistory(table, problems) : tableName(HISTORY_TABLE, options.historyTable(), problems);
    if (history != null && history.equals(table)) {
      problems.add(HISTORY_TABLE, "'" + history + "' is the target table itself",
          "name a separate table, or leave history_table out to use <table>" + TableConfig.HISTORY_SUFFIX);
    }
    if (prefix != null && target != null && table != null) {
      // {prefix}/{warehouse}/{database}/{schema.table}/{26-character batch id}.diagnosis, the longest name
      int length = prefix.length() + target.warehouseName().length() + target.database().length()
          + table.toString().length() + 4 + 26 + dev.mbl.load.StatementName.DIAGNOSIS_SUFFIX.length();
      if (length > dev.mbl.load.StatementName.MAX_LENGTH) {
        problems.add(TABLE_NAME, "statement names for this table would be " + length + " characters, over the Data "
            + "API's " + dev.mbl.load.StatementName.MAX_LENGTH, "shorten options.statement_prefix, the cluster or "
            + "workgroup name, the database name or the table name");
      }
    }
    int maxAttempts = (int) whole(MAX_ATTEMPTS, options.maxAttempts(), TableConfig.DEFAULT_MAX_ATTEMPTS,
        1, MAX_MAX_ATTEMPTS, "use 1 to " + MAX_MAX_ATTEMPTS, problems);
    java.time.Duration freshness = Freshness.parse(EXPECT_NEW_DATA_WITHIN, options.expectNewDataWithin(), problems);
    List<SourcePrefix> sources = sources(options.sources(), problems);

    problems.throwIfAny(source);
    return new TableConfig(source, target, table, role, copyOptions, columns, mode, keys, timestamp, limits,
        preSql, postSql, prefix, history, maxAttempts, freshness, sources);
  }

  /** {@code options.sources}: absent means any bucket; given, one or more {@code s3://bucket/prefix}. */
  private static List<SourcePrefix> sources(List<ConfigDocument.Item> items, Problems problems) {
    if (items == null) {
      return List.of();
    }
    if (items.isEmpty()) {
      problems.add(ConfigDocument.SOURCES, "is empty, so no file could ever load",
          "list where the files land, e.g. [\"s3://my-landing/orders/\"], or leave sources out");
      return List.of();
    }
    List<SourcePrefix> sources = new java.util.ArrayList<>();
    for (ConfigDocument.Item item : items) {
      try {
        sources.add(SourcePrefix.parse(item.value()));
      } catch (IllegalArgumentException bad) {
        problems.add(item.path(), bad.getMessage(), "write s3://<bucket>/<key prefix>, e.g. s3://my-landing/orders/");
      }
    }
    return sources;
  }

  private JsonNode readTree(byte[] json, ConfigRef source) {
    JsonNode root;
    try {
      root = json == null ? null : mapper.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      // getOriginalMessage() leaves out Jackson's excerpt of the input.
      throw single(source, "the JSON is malformed" + where + " (" + Problems.shown(e.getOriginalMessage(), 200) + ")",
          "correct the JSON there (check quotes, commas and braces), e.g. with 'jq . file.json'");
    } catch (IOException e) {
      throw single(source, "the config cannot be read as JSON (" + e.getClass().getSimpleName() + ")",
          "save the file as UTF-8 JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw single(source, "the config is empty", "upload a JSON object such as config-samples/orders.json");
    }
    return root;
  }

  private static InvalidConfigException single(ConfigRef source, String what, String fix) {
    Problems problems = new Problems();
    problems.add(ROOT, what, fix);
    return problems.toException(source);
  }

  private CopyOptions copyOptions(String value, Problems problems) {
    CopyOptions options;
    try {
      options = value == null ? CopyOptions.NONE : CopyOptions.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(COPY_OPTIONS, e.getMessage());
      return null;
    }
    Optional<String> copyRegion = options.region();
    if (region != null && copyRegion.isPresent() && !copyRegion.get().equals(region)) {
      problems.add(COPY_OPTIONS, "REGION '" + copyRegion.get() + "' is not the region mbl runs in (" + region
              + "): COPY reads every resource it names, the manifest included, from that region (\"COPY from "
              + "Amazon S3\", Amazon Redshift Database Developer Guide), and mbl writes each batch's manifest in "
              + region, "remove REGION, or write REGION '" + region + "', and keep the data files in " + region);
      return null;
    }
    return options;
  }

  /** {@code copy.columns}: any names Redshift allows, each once (ignoring case); absent means all. */
  private static List<Identifier> columns(List<Item> items, Problems problems) {
    if (items == null) {
      return List.of();
    }
    if (items.isEmpty()) {
      problems.add(COLUMNS, "the list is empty", "name the columns the files carry, or leave columns out to load "
          + "every column that is not an identity column");
      return List.of();
    }
    List<Identifier> columns = new ArrayList<>();
    for (Item item : items) {
      Identifier column = columnName(item.path(), item.value(), "'order_id'", problems);
      if (column != null && columns.stream().anyMatch(column::equalsIgnoreCase)) {
        problems.add(item.path(), "column " + column.quoted() + " is given twice", "list each column once");
      } else if (column != null) {
        columns.add(column);
      }
    }
    return columns;
  }

  /** With {@code copy.columns}, the merge keys and timestamp must be among the loaded columns. */
  private static void checkLoaded(List<Identifier> columns, List<Identifier> keys, Identifier timestamp,
      Problems problems) {
    if (columns.isEmpty()) {
      return;
    }
    for (Identifier key : keys) {
      if (columns.stream().noneMatch(key::equalsIgnoreCase)) {
        problems.add(MERGE_PK, "merge key " + key.quoted() + " is not in copy.columns, so the files do not carry it",
            "add it to copy.columns");
      }
    }
    if (timestamp != null && columns.stream().noneMatch(timestamp::equalsIgnoreCase)) {
      problems.add(MERGE_TIMESTAMP, "merge timestamp " + timestamp.quoted() + " is not in copy.columns, so the "
          + "files do not carry it", "add it to copy.columns");
    }
  }

  private static LoadMode mode(Options options, Problems problems) {
    Boolean mergeDuplicates = options.mergeDuplicatePks();
    if (options.mode() == null) {
      return Boolean.TRUE.equals(mergeDuplicates) ? LoadMode.MERGE : LoadMode.APPEND;
    }
    LoadMode mode = switch (options.mode().strip().toLowerCase(Locale.ROOT)) {
      case "append" -> LoadMode.APPEND;
      case "merge" -> LoadMode.MERGE;
      default -> null;
    };
    if (mode == null) {
      problems.add(MODE, "'" + Problems.shown(options.mode()) + "' is not a load mode",
          "use \"append\" or \"merge\"");
    } else if (mergeDuplicates != null && mergeDuplicates != (mode == LoadMode.MERGE)) {
      problems.add(MODE, "mode \"" + lower(mode) + "\" contradicts merge_duplicate_pks " + mergeDuplicates,
          "remove merge_duplicate_pks (mode replaces it) or make the two agree");
      return null;
    }
    return mode;
  }

  private static List<Identifier> mergeKeys(Options options, Problems problems) {
    if (options.mergePk() != null && options.mergeKeys() != null) {
      problems.add(MERGE_KEYS, "both merge_pk and merge_keys are given", "keep one of them");
      return List.of();
    }
    List<Item> items = options.mergeKeys() != null ? options.mergeKeys() : options.mergePk();
    if (items == null || items.isEmpty()) {
      problems.add(MERGE_PK, "merge mode needs at least one key column",
          "give merge_pk, e.g. \"order_id\", \"tenant_id,order_id\" or [\"tenant_id\", \"order_id\"]");
      return List.of();
    }
    List<Identifier> keys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Item item : items) {
      Identifier key = columnName(item.path(), item.value(), "'order_id'", problems);
      if (key != null && !seen.add(key.value().toLowerCase(Locale.ROOT))) {
        problems.add(item.path(), "key column '" + key + "' is given twice", "list each key column once");
      } else if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static Identifier mergeTimestamp(Options options, List<Identifier> keys, Problems problems) {
    if (options.mergeTimestamp() == null) {
      return null;
    }
    Identifier timestamp = columnName(MERGE_TIMESTAMP, options.mergeTimestamp(), "'updated_at'", problems);
    if (timestamp != null && keys.stream().anyMatch(timestamp::equalsIgnoreCase)) {
      problems.add(MERGE_TIMESTAMP, "'" + timestamp + "' is also a merge key",
          "name the column that tells which row is newer, e.g. 'updated_at'");
    }
    return timestamp;
  }

  private static BatchLimits limits(Options options, Problems problems) {
    long files = whole(MAX_BATCH_FILES, options.maxBatchFiles(), BatchLimits.DEFAULT.maxFiles(),
        1, BatchLimits.MAX_FILES_CEILING, "use 1 to " + BatchLimits.MAX_FILES_CEILING, problems);
    long bytes = whole(MAX_BATCH_BYTES, options.maxBatchBytes(), BatchLimits.DEFAULT.maxBytes(),
        1, Long.MAX_VALUE, "use a positive number of bytes, e.g. 1073741824 for 1 GiB", problems);
    return new BatchLimits((int) files, bytes);
  }

  /** How many statements a batch of {@code mode} runs besides the config's pre and post SQL. */
  public static int fixedStatements(LoadMode mode) {
    return Objects.requireNonNull(mode, "mode") == LoadMode.MERGE ? MERGE_FIXED_STATEMENTS : APPEND_FIXED_STATEMENTS;
  }

  private static String statementPrefix(String value, Problems problems) {
    if (value == null) {
      return TableConfig.DEFAULT_STATEMENT_PREFIX;
    }
    String prefix = matching(STATEMENT_PREFIX, value, PREFIX, "statement prefix",
        "use 1 to 40 letters, digits, '_', '.' or '-' (no '/'), e.g. \"mbl-prod\"", problems);
    return prefix == null ? TableConfig.DEFAULT_STATEMENT_PREFIX : prefix;
  }

  private static long whole(String path, Long value, long fallback, long min, long max, String fix,
      Problems problems) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      problems.add(path, value + " is out of range", fix);
      return fallback;
    }
    return value;
  }

  static Identifier identifier(String path, String value, String example, Problems problems) {
    return checked(path, value, Identifier::of, "use a plain name such as " + example, problems);
  }

  /** A column name: any name Redshift allows, kept as written and matched to the table's columns at load. */
  private static Identifier columnName(String path, String value, String example, Problems problems) {
    return checked(path, value, Identifier::exact, "give the column's name as the table has it, e.g. " + example,
        problems);
  }

  private static TableName tableName(String path, String value, Problems problems) {
    return checked(path, value, TableName::parse,
        "give 'schema.table' or 'table' with plain names, e.g. 'public.orders'", problems);
  }

  private static <T> T checked(String path, String value, Function<String, T> parse, String fix,
      Problems problems) {
    if (value == null) {
      return null;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      problems.add(path, "'" + Problems.shown(value) + "' is not a valid identifier: " + e.getMessage(), fix);
      return null;
    }
  }

  static String matching(String path, String value, Pattern pattern, String what, String fix,
      Problems problems) {
    if (value == null || pattern.matcher(value).matches()) {
      return value;
    }
    problems.add(path, "'" + Problems.shown(value) + "' is not a valid " + what, fix);
    return null;
  }

  private static String lower(LoadMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  static String lower(String value) {
    return value == null ? null : value.toLowerCase(Locale.ROOT);
  }

  /** The per-table default; a target name too long to suffix asks for an explicit history_table. */
  private static TableName defaultHistory(TableName table, Problems problems) {
    if (table == null) {
      return null;
    }
    try {
      return TableConfig.defaultHistoryTable(table);
    } catch (IllegalArgumentException tooLong) {
      problems.add(HISTORY_TABLE, "the default history table name '" + table.table() + TableConfig.HISTORY_SUFFIX
          + "' is longer than 127 characters", "set options.history_table to a shorter schema.table");
      return null;
    }
  }
}
