package dev.mbl.config;

import static dev.mbl.config.ConfigDocument.OPTIONS;

import dev.mbl.config.ConfigDocument.Item;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a config's {@code pre_sql} and {@code post_sql}: non-blank, within the Data API's batch
 * budget, and free of statements that break the one transaction a batch runs in. Redshift refuses
 * some statements inside a transaction block and TRUNCATE commits it; either would fail every batch
 * of the table (or commit half of one), so they are rejected at config time, naming the statement,
 * the AWS document and the fix. Statements are read only as far as their leading keywords, after
 * comments; string literals, quoted identifiers and dollar-quoted bodies are skipped when looking
 * for the {@code ;} between statements.
 */
final class UserSql {
  private static final String GUIDE = "Amazon Redshift Database Developer Guide";
  private static final Set<String> TRANSACTION_CONTROL =
      Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT");
  private static final Set<String> EXTERNAL_TABLE_CLAUSES = Set.of("SET LOCATION", "SET FILE", "SET TABLE",
      "ADD PARTITION", "ADD IF", "DROP PARTITION", "PARTITION");
  private static final Set<String> ALTER_TABLE_CLAUSES =
      Set.of("APPEND", "ALTER", "SET", "ADD", "DROP", "PARTITION", "RENAME", "OWNER", "ROW");
  private static final Set<String> OUTSIDE_TRANSACTION = Set.of("CREATE DATABASE", "DROP DATABASE",
      "CREATE LIBRARY", "DROP LIBRARY", "CREATE TABLESPACE", "DROP TABLESPACE", "REINDEX DATABASE");

  private UserSql() {}

  /** The trimmed statements of a pre_sql / post_sql list; blank or transaction-breaking ones are problems. */
  static List<String> statements(List<Item> items, Problems problems) {
    if (items == null) {
      return List.of();
    }
    List<String> sql = new ArrayList<>();
    for (Item item : items) {
      if (item.value().isBlank()) {
        problems.add(item.path(), "the statement is empty", "write the SQL or remove the entry");
        continue;
      }
      for (String statement : split(item.value())) {
        problem(statement).ifPresent(problem -> problems.add(item.path(), problem));
      }
      sql.add(item.value().strip());
    }
    return sql;
  }

  /** Why {@code statement} cannot run inside mbl's batch transaction, as "what; fix: how". */
  static Optional<String> problem(String statement) {
    List<String> words = leadingWords(statement);
    if (words.isEmpty()) {
      return Optional.empty();
    }
    String first = words.get(0);
    String two = words.size() > 1 ? first + " " + words.get(1) : first;
    if (TRANSACTION_CONTROL.contains(first)) {
      return refused(first, "ends or nests the transaction mbl runs every batch in (BatchExecuteStatement runs "
          + "its statements as one transaction)", "Serializable isolation", "remove it");
    }
    if (first.equals("VACUUM")) {
      return refused("VACUUM", "cannot run inside a transaction block", "VACUUM",
          "remove it and run VACUUM on a schedule outside mbl (Redshift also vacuums automatically)");
    }
    if (first.equals("TRUNCATE")) {
      return refused("TRUNCATE", "commits the open transaction, so half a batch would commit", "TRUNCATE",
          "use DELETE FROM <table>, which stays in the transaction");
    }
    if (OUTSIDE_TRANSACTION.contains(two)) {
      return refused(two, "cannot run inside a transaction block", "SVL_MULTI_STATEMENT_VIOLATIONS",
          "remove it and run it outside mbl");
    }
    if (words.size() > 2 && words.get(1).equals("EXTERNAL")) {
      String object = first + " EXTERNAL " + words.get(2);
      String document = object.equals("CREATE EXTERNAL SCHEMA") ? object
          : object.equals("DROP EXTERNAL TABLE") ? "DROP TABLE" : "CREATE EXTERNAL TABLE";
      return refused(object, "cannot run inside a transaction block", document, "remove it and run it outside mbl");
    }
    if (two.equals("DROP SCHEMA") && String.join(" ", words).contains("DROP EXTERNAL DATABASE")) {
      return refused("DROP SCHEMA ... DROP EXTERNAL DATABASE", "cannot run inside a transaction block",
          "DROP SCHEMA", "remove it and run it outside mbl");
    }
    if (two.equals("ALTER TABLE") && words.size() > 2) {
      String clause = words.get(2) + (words.size() > 3 ? " " + words.get(3) : "");
      if (words.get(2).equals("APPEND")) {
        return refused("ALTER TABLE ... APPEND", "cannot run inside a transaction block", "ALTER TABLE APPEND",
            "remove it and run it outside mbl, or use INSERT INTO ... SELECT");
      }
      if (clause.equals("ALTER COLUMN") && words.size() > 5 && words.get(5).equals("TYPE")) {
        return refused("ALTER TABLE ... ALTER COLUMN ... TYPE", "cannot run inside a transaction block",
            "ALTER TABLE", "remove it and change the column outside mbl");
      }
      if (EXTERNAL_TABLE_CLAUSES.contains(clause) || EXTERNAL_TABLE_CLAUSES.contains(words.get(2))) {
        return refused("ALTER TABLE ... " + clause, "alters an external table, which cannot run inside a "
            + "transaction block", "ALTER TABLE", "remove it and run it outside mbl");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> refused(String statement, String why, String document, String fix) {
    return Optional.of("the statement " + statement + " " + why + " (\"" + document + "\", " + GUIDE
        + "); fix: " + fix);
  }

  /** Fails when pre_sql and post_sql leave no room for mbl's own statements in one Data API batch. */
  static void checkBudget(LoadMode mode, List<String> preSql, List<String> postSql, Problems problems) {
    int fixed = ConfigParser.fixedStatements(mode);
    int room = ConfigParser.MAX_BATCH_STATEMENTS - fixed;
    int count = preSql.size() + postSql.size();
    if (count > room) {
      problems.add(OPTIONS, "pre_sql and post_sql hold " + count + " statements, but "
              + (mode == LoadMode.MERGE ? "a merge" : "an append") + " batch runs " + fixed
              + " of its own and the Data API takes at most " + ConfigParser.MAX_BATCH_STATEMENTS,
          "keep pre_sql and post_sql to " + room + " statements together, e.g. by calling a stored procedure");
    }
    long bytes = 0;
    for (String sql : preSql) {
      bytes += sql.getBytes(StandardCharsets.UTF_8).length;
    }
    for (String sql : postSql) {
      bytes += sql.getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > ConfigParser.MAX_USER_SQL_BYTES) {
      problems.add(OPTIONS, "pre_sql and post_sql hold " + bytes + " bytes of SQL, more than the "
              + ConfigParser.MAX_USER_SQL_BYTES + " that fit beside mbl's own statements in one Data API batch",
          "move the SQL into a stored procedure and CALL it");
    }
  }

  /** The statements of {@code sql}, split at {@code ;} outside literals, quoted names and comments. */
  static List<String> split(String sql) {
    List<String> statements = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < sql.length()) {
      int skipped = skip(sql, i);
      if (skipped > i) {
        i = skipped;
      } else if (sql.charAt(i) == ';') {
        statements.add(sql.substring(start, i));
        start = ++i;
      } else {
        i++;
      }
    }
    statements.add(sql.substring(start));
    return statements;
  }

  /** Up to ten leading keywords, upper case, after comments; names (plain or quoted) read as "NAME". */
  static List<String> leadingWords(String statement) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < statement.length() && words.size() < 10) {
      char c = statement.charAt(i);
      if (Character.isWhitespace(c) || c == '.' || c == ',') {
        i++;
      } else if (statement.startsWith("--", i) || statement.startsWith("/*", i)) {
        i = skip(statement, i);
      } else if (c == '"') {
        i = skip(statement, i);
        words.add("NAME");
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < statement.length() && (Character.isLetterOrDigit(statement.charAt(i))
            || statement.charAt(i) == '_' || statement.charAt(i) == '$')) {
          i++;
        }
        words.add(statement.substring(start, i).toUpperCase(Locale.ROOT));
      } else {
        break;
      }
    }
    return withoutTableName(words);
  }

  /** In {@code ALTER TABLE schema.table ...} the table's name is not a keyword: drop it. */
  private static List<String> withoutTableName(List<String> words) {
    if (words.size() < 3 || !words.get(0).equals("ALTER") || !words.get(1).equals("TABLE")) {
      return words;
    }
    int clause = 3;
    while (clause < words.size() && !ALTER_TABLE_CLAUSES.contains(words.get(clause))) {
      clause++;
    }
    List<String> rest = new ArrayList<>(words.subList(0, 2));
    rest.addAll(words.subList(clause, words.size()));
    return rest;
  }

  /** The index after a literal, quoted name, comment or dollar-quoted body starting at {@code i}, else i. */
  private static int skip(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"') {
      int j = i + 1;
      while (j < sql.length()) {
        if (sql.charAt(j) == c) {
          if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
            j += 2;
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    if (sql.startsWith("--", i)) {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end + 1;
    }
    if (sql.startsWith("/*", i)) {
      int end = sql.indexOf("*/", i + 2);
      return end < 0 ? sql.length() : end + 2;
    }
    if (c == '$') {
      int tagEnd = sql.indexOf('$', i + 1);
      if (tagEnd > 0 && sql.substring(i + 1, tagEnd).matches("[A-Za-z_0-9]*")) {
        String tag = sql.substring(i, tagEnd + 1);
        int end = sql.indexOf(tag, tagEnd + 1);
        return end < 0 ? sql.length() : end + tag.length();
      }
    }
    return i;
  }
}
