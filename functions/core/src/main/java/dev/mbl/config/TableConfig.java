package dev.mbl.config;

import dev.mbl.sql.Identifier;
import dev.mbl.sql.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated per-table load configuration. Built by {@link ConfigParser} from the seed's JSON
 * format or its extensions; every field is non-null unless documented otherwise.
 *
 * @param source where this config was read from
 * @param target the cluster or workgroup, database and authentication
 * @param table the target table
 * @param iamRole the COPY {@code IAM_ROLE} value: a role ARN (comma-chained allowed) or {@code default}
 * @param copyOptions COPY options parsed against the allowlist
 * @param columns the columns the files carry, in file order ({@code copy.columns}); empty means
 *     every column of the table that is not an identity column, in table order
 * @param mode append or merge
 * @param mergeKeys merge key columns; non-empty exactly when mode is MERGE
 * @param mergeTimestamp the column whose greatest value wins per key; null when absent
 * @param limits files and bytes per batch
 * @param preSql statements run in the batch transaction before the COPY (may be empty)
 * @param postSql statements run in the batch transaction after the merge (may be empty)
 * @param statementPrefix the first segment of every statement name (default {@code mbl})
 * @param historyTable the warehouse table that records each applied batch
 *     (default {@code <schema>.<table>_mbl_history}, see {@link #defaultHistoryTable})
 * @param maxAttempts how many times transient failures are retried before files are quarantined
 * @param expectNewDataWithin how often a file should load ({@code options.expect_new_data_within}): the
 *     health model warns when none loaded for longer; null when not set
 * @param sources where the table's files may come from ({@code options.sources}); empty: anywhere
 */
public record TableConfig(
    ConfigRef source,
    WarehouseTarget target,
    TableName table,
    String iamRole,
    CopyOptions copyOptions,
    List<Identifier> columns,
    LoadMode mode,
    List<Identifier> mergeKeys,
    Identifier mergeTimestamp,
    BatchLimits limits,
    List<String> preSql,
    List<String> postSql,
    String statementPrefix,
    TableName historyTable,
    int maxAttempts,
    Duration expectNewDataWithin,
    List<SourcePrefix> sources) {

  public static final String DEFAULT_STATEMENT_PREFIX = "mbl";
  /** Appended to the target table's name to name its default history table. */
  public static final String HISTORY_SUFFIX = "_mbl_history";

  /**
   * The default history table of {@code target}: one per target table, next to it. Batches of
   * different tables run concurrently; if they all read and wrote one shared history table,
   * Redshift would abort one of each overlapping pair with a serializable isolation error (1023).
   *
   * @throws IllegalArgumentException when the name would exceed 127 characters (set history_table)
   */
  public static TableName defaultHistoryTable(TableName target) {
    return new TableName(target.schema(), dev.mbl.sql.Identifier.of(target.table().value() + HISTORY_SUFFIX));
  }
  public static final int DEFAULT_MAX_ATTEMPTS = 10;

  public TableConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(iamRole, "iamRole");
    Objects.requireNonNull(copyOptions, "copyOptions");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(statementPrefix, "statementPrefix");
    Objects.requireNonNull(historyTable, "historyTable");
    columns = List.copyOf(columns);
    mergeKeys = List.copyOf(mergeKeys);
    preSql = List.copyOf(preSql);
    postSql = List.copyOf(postSql);
    sources = List.copyOf(Objects.requireNonNull(sources, "sources"));
    if ((mode == LoadMode.MERGE) == mergeKeys.isEmpty()) {
      throw new IllegalArgumentException("merge keys must be given exactly when the mode is merge");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts is " + maxAttempts + ": use 1 or more");
    }
    if (expectNewDataWithin != null && (expectNewDataWithin.isNegative() || expectNewDataWithin.isZero())) {
      throw new IllegalArgumentException("expect new data within is " + expectNewDataWithin + ": use a positive duration");
    }
  }

  /** A config without source restrictions. */
  public TableConfig(ConfigRef source, WarehouseTarget target, TableName table, String iamRole,
      CopyOptions copyOptions, List<Identifier> columns, LoadMode mode, List<Identifier> mergeKeys,
      Identifier mergeTimestamp, BatchLimits limits, List<String> preSql, List<String> postSql,
      String statementPrefix, TableName historyTable, int maxAttempts, Duration expectNewDataWithin) {
    this(source, target, table, iamRole, copyOptions, columns, mode, mergeKeys, mergeTimestamp, limits, preSql,
        postSql, statementPrefix, historyTable, maxAttempts, expectNewDataWithin, List.of());
  }

  /** Whether a file at {@code bucket}/{@code key} may load into this table: under a source, or no sources set. */
  public boolean acceptsSource(String bucket, String key) {
    return sources.isEmpty() || sources.stream().anyMatch(s -> s.contains(bucket, key));
  }

  /** A config without a freshness expectation. */
  public TableConfig(ConfigRef source, WarehouseTarget target, TableName table, String iamRole,
      CopyOptions copyOptions, List<Identifier> columns, LoadMode mode, List<Identifier> mergeKeys,
      Identifier mergeTimestamp, BatchLimits limits, List<String> preSql, List<String> postSql,
      String statementPrefix, TableName historyTable, int maxAttempts) {
    this(source, target, table, iamRole, copyOptions, columns, mode, mergeKeys, mergeTimestamp, limits, preSql,
        postSql, statementPrefix, historyTable, maxAttempts, (Duration) null);
  }

  /** The freshness expectation, if the config sets one. */
  public Optional<Duration> freshnessExpectation() {
    return Optional.ofNullable(expectNewDataWithin);
  }

  /** A config without {@code copy.columns}: the files carry every non-identity column. */
  public TableConfig(ConfigRef source, WarehouseTarget target, TableName table, String iamRole,
      CopyOptions copyOptions, LoadMode mode, List<Identifier> mergeKeys, Identifier mergeTimestamp,
      BatchLimits limits, List<String> preSql, List<String> postSql, String statementPrefix,
      TableName historyTable, int maxAttempts) {
    this(source, target, table, iamRole, copyOptions, List.of(), mode, mergeKeys, mergeTimestamp, limits, preSql,
        postSql, statementPrefix, historyTable, maxAttempts);
  }

  /** The merge timestamp column, if the config names one. */
  public Optional<Identifier> timestampColumn() {
    return Optional.ofNullable(mergeTimestamp);
  }

  /** How long a config read from S3 stays fresh in an instance's cache. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
}
