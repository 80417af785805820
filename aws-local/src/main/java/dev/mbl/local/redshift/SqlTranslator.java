package dev.mbl.local.redshift;

import dev.mbl.local.redshift.SqlTokens.Kind;
import dev.mbl.local.redshift.SqlTokens.Token;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Turns one Redshift SQL statement into what PostgreSQL runs the same way: Redshift table
 * attributes are stripped, Redshift types and functions are mapped, COPY becomes a
 * {@link CopyCommand} the emulator runs itself, and Redshift-only maintenance is skipped.
 * Anything else Redshift-only that cannot be emulated is rejected naming the construct. Text
 * that needs no change comes back exactly as written. Pure.
 */
final class SqlTranslator {
  /** What to run for one statement. */
  sealed interface Translation permits Sql, Copy, Skip, CaseSensitivity {}

  /** Plain SQL for PostgreSQL. */
  record Sql(String sql) implements Translation {}

  /** A COPY from S3, which the emulator runs itself. */
  record Copy(CopyCommand command) implements Translation {}

  /** A Redshift-only statement with no effect to emulate (VACUUM, SET query_group, ...). */
  record Skip(String reason) implements Translation {}

  /** {@code SET enable_case_sensitive_identifier}: whether delimited identifiers keep their case. */
  record CaseSensitivity(boolean caseSensitive) implements Translation {}

  /** PostgreSQL keeps identifiers of at most 63 bytes (NAMEDATALEN - 1); Redshift keeps 127. */
  static final int MAX_IDENTIFIER_BYTES = 63;

  private static final Set<String> REDSHIFT_ONLY_SETTINGS = Set.of("query_group", "wlm_query_slot_count",
      "enable_result_cache_for_session", "analyze_threshold_percent", "json_parse_truncate_strings",
      "enable_case_sensitive_identifier", "describe_field_name_in_uppercase", "max_concurrency_scaling_clusters",
      "mv_enable_aqmv_for_session", "auto_analyze", "spectrum_query_maxerror", "downcase_delimited_identifier");
  private static final Set<String> REJECTED_STATEMENTS = Set.of("UNLOAD");
  private static final Set<String> REJECTED_CREATE = Set.of("EXTERNAL", "LIBRARY", "MODEL", "DATASHARE");
  private static final Set<String> REJECTED_FUNCTIONS = Set.of("LISTAGG", "MEDIAN", "APPROXIMATE", "DATEADD",
      "DATEDIFF", "CONVERT_TIMEZONE", "JSON_EXTRACT_PATH_TEXT", "JSON_EXTRACT_ARRAY_ELEMENT_TEXT", "IS_VALID_JSON",
      "IS_VALID_JSON_ARRAY", "STRTOL", "NVL2", "DECODE", "PERCENTILE_DISC", "RATIO_TO_REPORT", "HLL");

  private final SqlTokens tokens;
  private final TextEdits edits;
  private final ColumnDefinitions columns;

  private SqlTranslator(SqlTokens tokens) {
    this.tokens = tokens;
    this.edits = new TextEdits(tokens.sql());
    this.columns = new ColumnDefinitions(tokens, edits);
  }

  /**
   * Translates one statement (a trailing semicolon is allowed).
   *
   * @throws UnsupportedSqlException naming the construct the emulator cannot run
   */
  static Translation translate(String sql) {
    return translate(sql, false);
  }

  /**
   * Translates one statement. Unless {@code caseSensitive} (the session set
   * enable_case_sensitive_identifier), ASCII letters of delimited identifiers are folded to lower
   * case first, as "Names and identifiers" says Redshift does (PostgreSQL keeps their case).
   *
   * @throws UnsupportedSqlException naming the construct the emulator cannot run
   */
  static Translation translate(String sql, boolean caseSensitive) {
    SqlTokens tokens = SqlTokens.of(sql);
    TextEdits folding = new TextEdits(sql);
    boolean folded = false;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.at(i);
      if (t.kind() == Kind.QUOTED_IDENT || t.kind() == Kind.WORD) {
        int bytes = t.identifier().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_IDENTIFIER_BYTES) {
          throw new UnsupportedSqlException("the identifier " + t.text() + " has " + bytes + " bytes; Redshift allows "
              + "127 but the emulator's PostgreSQL keeps only " + MAX_IDENTIFIER_BYTES + ": use a shorter name locally");
        }
      }
      if (t.kind() == Kind.QUOTED_IDENT && !caseSensitive && !SqlTokens.foldAscii(t.text()).equals(t.text())) {
        folding.replace(t.start(), t.end(), SqlTokens.foldAscii(t.text()));
        folded = true;
      }
    }
    return folded ? translateFolded(folding.apply()) : translateFolded(sql);
  }

  private static Translation translateFolded(String sql) {
    SqlTokens tokens = SqlTokens.of(sql);
    int last = tokens.size() - 1;
    while (last >= 0 && tokens.at(last).isSymbol(";")) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      if (tokens.at(i).isSymbol(";")) {
        throw new UnsupportedSqlException("more than one statement in one SQL text (';' at position "
            + (tokens.at(i).start() + 1) + "): send each statement separately, or use BatchExecuteStatement");
      }
    }
    if (last < 0) {
      throw new UnsupportedSqlException("the SQL text is empty");
    }
    String text = sql.substring(0, tokens.at(last).end());
    return new SqlTranslator(last == tokens.size() - 1 ? tokens : SqlTokens.of(text)).translate();
  }

  private Translation translate() {
    Token first = tokens.at(0);
    String verb = first.upper();
    if (REJECTED_STATEMENTS.contains(verb)) {
      throw new UnsupportedSqlException(verb + " is not emulated by the local Data API");
    }
    switch (verb) {
      case "COPY":
        return new Copy(CopyParser.parse(tokens));
      case "VACUUM":
        return new Skip("VACUUM has nothing to do on the emulator");
      case "ANALYZE":
        if (at(1).is("COMPRESSION")) {
          return new Skip("ANALYZE COMPRESSION has nothing to do on the emulator");
        }
        break;
      case "SET", "RESET":
        Token name = at(first.is("SET") && at(1).is("SESSION") ? 2 : 1);
        if (name.identifier().equals("enable_case_sensitive_identifier")) {
          return caseSensitivity(first.is("RESET") ? null : at(first.is("SET") && at(1).is("SESSION") ? 4 : 3));
        }
        if (REDSHIFT_ONLY_SETTINGS.contains(name.identifier())) {
          return new Skip(name.identifier() + " is a Redshift-only setting");
        }
        break;
      case "CREATE":
        create();
        break;
      case "ALTER":
        if (alterTable()) {
          return new Skip("Redshift table attributes have no PostgreSQL equivalent");
        }
        break;
      default:
        break;
    }
    rewriteExpressions(0, tokens.size());
    return new Sql(edits.apply());
  }

  private void create() {
    int i = 1;
    if (at(i).is("OR") && at(i + 1).is("REPLACE")) {
      i += 2;
    }
    while (at(i).is("LOCAL") || at(i).is("TEMP") || at(i).is("TEMPORARY")) {
      i++;
    }
    Token kind = at(i);
    if (REJECTED_CREATE.contains(kind.upper())) {
      throw new UnsupportedSqlException("CREATE " + kind.upper() + " is not emulated by the local Data API");
    }
    if (kind.is("TABLE")) {
      createTable(i + 1);
    } else if (kind.is("VIEW") || kind.is("MATERIALIZED")) {
      for (int j = i; j + 3 < tokens.size(); j++) {
        if (at(j).is("WITH") && at(j + 1).is("NO") && at(j + 2).is("SCHEMA") && at(j + 3).is("BINDING")) {
          edits.remove(at(j).start(), at(j + 3).end());
        }
      }
    }
  }

  private void createTable(int i) {
    if (at(i).is("IF") && at(i + 1).is("NOT") && at(i + 2).is("EXISTS")) {
      i += 3;
    }
    i = skipName(i);
    if (at(i).isSymbol("(")) {
      int close = tokens.closing(i);
      if (close < 0) {
        throw new UnsupportedSqlException("CREATE TABLE has an unclosed column list");
      }
      columns.columnList(i, close);
      i = close + 1;
    }
    columns.tableAttributes(i);
  }

  /** ALTER TABLE: true when the whole statement only changes Redshift table attributes. */
  private boolean alterTable() {
    if (!at(1).is("TABLE")) {
      return false;
    }
    int i = skipName(2);
    if (at(i).is("APPEND")) {
      throw new UnsupportedSqlException("ALTER TABLE ... APPEND is not emulated by the local Data API: use "
          + "INSERT INTO ... SELECT and DELETE");
    }
    if (at(i).is("ALTER")) {
      Token what = at(i + 1);
      if (ColumnDefinitions.TABLE_ATTRIBUTES.contains(what.upper()) || (what.is("COLUMN") && at(i + 3).is("ENCODE"))) {
        return true;
      }
    }
    if (at(i).is("ADD")) {
      int column = at(i + 1).is("COLUMN") ? i + 2 : i + 1;
      columns.mapType(column + 1);
      for (int j = column + 2; j < tokens.size(); j++) {
        j = columns.columnAttribute(j, tokens.size());
      }
    }
    return false;
  }

  /** Maps Redshift functions, and types after {@code ::} and in {@code CAST(x AS type)}, in {@code [from, to)}. */
  private void rewriteExpressions(int from, int to) {
    Deque<Boolean> inCast = new ArrayDeque<>();
    for (int i = from; i < to; i++) {
      Token t = at(i);
      boolean call = at(i + 1).isSymbol("(");
      if (t.isSymbol("(")) {
        inCast.push(at(i - 1).is("CAST"));
      } else if (t.isSymbol(")") && !inCast.isEmpty()) {
        inCast.pop();
      } else if (t.isSymbol("::") || (t.is("AS") && Boolean.TRUE.equals(inCast.peek()))) {
        columns.mapType(i + 1);
      } else if (t.kind() == Kind.WORD && !at(i - 1).isSymbol(".")) {
        String word = t.upper();
        if (call && REJECTED_FUNCTIONS.contains(word)) {
          throw new UnsupportedSqlException("the Redshift function " + word + " is not emulated by the local "
              + "Data API");
        }
        if (word.equals("GETDATE") && call && at(i + 2).isSymbol(")")) {
          edits.replace(t.start(), at(i + 2).end(), "now()");
        } else if (word.equals("SYSDATE") && !call) {
          edits.replace(t.start(), t.end(), "now()");
        } else if (word.equals("NVL") && call) {
          edits.replace(t.start(), t.end(), "COALESCE");
        } else if ((word.equals("JSON_PARSE") || word.equals("JSON_SERIALIZE")) && call) {
          int close = tokens.closing(i + 1);
          if (close > 0) {
            edits.replace(t.start(), t.end(), "CAST");
            edits.replace(at(close).start(), at(close).start(), word.equals("JSON_PARSE") ? " AS jsonb" : " AS text");
          }
        }
      }
    }
  }

  private static CaseSensitivity caseSensitivity(Token value) {
    if (value == null || value.text().isEmpty()) {
      return new CaseSensitivity(false);
    }
    String text = value.kind() == Kind.STRING ? value.value() : value.text();
    return new CaseSensitivity(Set.of("true", "on", "1").contains(text.toLowerCase(java.util.Locale.ROOT)));
  }

  /** Skips a possibly qualified name starting at {@code i}; returns the index after it. */
  private int skipName(int i) {
    i++;
    while (at(i).isSymbol(".") && i + 1 < tokens.size()) {
      i += 2;
    }
    return i;
  }

  /** The token at {@code i}; past the end, an empty symbol that matches nothing. */
  private Token at(int i) {
    Token t = tokens.at(i);
    return t != null ? t : new Token(Kind.SYMBOL, "", tokens.sql().length(), tokens.sql().length());
  }
}
