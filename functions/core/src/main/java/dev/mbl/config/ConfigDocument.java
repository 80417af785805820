package dev.mbl.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A table config as written, before its values are checked: the seed's three sections with
 * every field typed and nullable (null means absent). Reading reports wrong JSON types, missing
 * required fields and unknown fields; {@link ConfigParser} then validates the values.
 *
 * <p>Read from Jackson's tree rather than bound to classes: data binding stops at the first bad
 * field, and a config should list all of its problems at once. Each field is known by its JSON
 * path, which is also what every problem names.
 *
 * @param copy null when the section is missing or not an object (already reported)
 * @param cluster null when the section is missing or not an object (already reported)
 * @param options never null; all fields null when the section is absent
 */
record ConfigDocument(Copy copy, Cluster cluster, Options options) {
  static final String ROOT = "$";
  static final String COPY = "$.copy";
  static final String TABLE_NAME = "$.copy.table_name";
  static final String ROLE_ARN = "$.copy.role_arn";
  static final String COPY_OPTIONS = "$.copy.options";
  static final String COLUMNS = "$.copy.columns";
  static final String CLUSTER = "$.cluster";
  static final String IDENTIFIER = "$.cluster.identifier";
  static final String WORKGROUP_NAME = "$.cluster.workgroup_name";
  static final String DB_NAME = "$.cluster.db_name";
  static final String DB_USER = "$.cluster.db_user";
  static final String SECRET_ARN = "$.cluster.secret_arn";
  static final String OPTIONS = "$.options";
  static final String MERGE_DUPLICATE_PKS = "$.options.merge_duplicate_pks";
  static final String MODE = "$.options.mode";
  static final String MERGE_PK = "$.options.merge_pk";
  static final String MERGE_KEYS = "$.options.merge_keys";
  static final String MERGE_TIMESTAMP = "$.options.merge_timestamp";
  static final String MAX_BATCH_FILES = "$.options.max_batch_files";
  static final String MAX_BATCH_BYTES = "$.options.max_batch_bytes";
  static final String PRE_SQL = "$.options.pre_sql";
  static final String POST_SQL = "$.options.post_sql";
  static final String STATEMENT_PREFIX = "$.options.statement_prefix";
  static final String HISTORY_TABLE = "$.options.history_table";
  static final String MAX_ATTEMPTS = "$.options.max_attempts";
  static final String EXPECT_NEW_DATA_WITHIN = "$.options.expect_new_data_within";
  static final String SOURCES = "$.options.sources";

  private static final List<String> ROOT_FIELDS = List.of(COPY, CLUSTER, OPTIONS);
  private static final List<String> COPY_FIELDS = List.of(TABLE_NAME, ROLE_ARN, COPY_OPTIONS, COLUMNS);
  private static final List<String> CLUSTER_FIELDS =
      List.of(IDENTIFIER, WORKGROUP_NAME, DB_NAME, DB_USER, SECRET_ARN);
  private static final List<String> OPTIONS_FIELDS = List.of(MERGE_DUPLICATE_PKS, MERGE_PK, MERGE_TIMESTAMP,
      MODE, MERGE_KEYS, MAX_BATCH_FILES, MAX_BATCH_BYTES, PRE_SQL, POST_SQL, STATEMENT_PREFIX, HISTORY_TABLE,
      MAX_ATTEMPTS, EXPECT_NEW_DATA_WITHIN, SOURCES);

  /** The {@code copy} section: what to load and how. */
  record Copy(String tableName, String roleArn, String options, List<Item> columns) {}

  /** The {@code cluster} section: where, and as whom. */
  record Cluster(String identifier, String workgroupName, String dbName, String dbUser, String secretArn) {}

  /** The {@code options} section: merge behaviour, limits and extensions. */
  record Options(
      Boolean mergeDuplicatePks,
      String mode,
      List<Item> mergePk,
      List<Item> mergeKeys,
      String mergeTimestamp,
      Long maxBatchFiles,
      Long maxBatchBytes,
      List<Item> preSql,
      List<Item> postSql,
      String statementPrefix,
      String historyTable,
      Long maxAttempts,
      String expectNewDataWithin,
      List<Item> sources) {
    static final Options ABSENT =
        new Options(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** One element of a list field, with its own JSON path such as {@code $.options.merge_pk[1]}. */
  record Item(String path, String value) {}

  /** Reads the document's shape; problems go to {@code problems}, values are not checked. */
  static ConfigDocument read(JsonNode root, Problems problems) {
    if (!root.isObject()) {
      problems.add(ROOT, "expected a JSON object but got " + JsonFields.kind(root),
          "write the config as {\"copy\": {...}, \"cluster\": {...}, \"options\": {...}}");
      return new ConfigDocument(null, null, Options.ABSENT);
    }
    JsonFields.reportUnknown(root, ROOT, ROOT_FIELDS, problems);
    return new ConfigDocument(copy(root, problems), cluster(root, problems), options(root, problems));
  }

  private static Copy copy(JsonNode root, Problems problems) {
    JsonFields copy = JsonFields.object(root.get("copy"), COPY, COPY_FIELDS, true, problems);
    return copy == null ? null
        : new Copy(copy.text(TABLE_NAME, true), copy.text(ROLE_ARN, true), copy.text(COPY_OPTIONS, false),
            copy.names(COLUMNS));
  }

  private static Cluster cluster(JsonNode root, Problems problems) {
    JsonFields cluster = JsonFields.object(root.get("cluster"), CLUSTER, CLUSTER_FIELDS, true, problems);
    return cluster == null ? null
        : new Cluster(cluster.text(IDENTIFIER, false), cluster.text(WORKGROUP_NAME, false),
            cluster.text(DB_NAME, true), cluster.text(DB_USER, false), cluster.text(SECRET_ARN, false));
  }

  private static Options options(JsonNode root, Problems problems) {
    JsonFields options = JsonFields.object(root.get("options"), OPTIONS, OPTIONS_FIELDS, false, problems);
    return options == null ? Options.ABSENT
        : new Options(
            options.bool(MERGE_DUPLICATE_PKS),
            options.text(MODE, false),
            options.names(MERGE_PK),
            options.names(MERGE_KEYS),
            options.text(MERGE_TIMESTAMP, false),
            options.whole(MAX_BATCH_FILES),
            options.whole(MAX_BATCH_BYTES),
            options.texts(PRE_SQL),
            options.texts(POST_SQL),
            options.text(STATEMENT_PREFIX, false),
            options.text(HISTORY_TABLE, false),
            options.whole(MAX_ATTEMPTS),
            options.text(EXPECT_NEW_DATA_WITHIN, false),
            options.texts(SOURCES));
  }
}
