package dev.mbl.local.redshift;

import dev.mbl.local.redshift.SqlTokens.Kind;
import dev.mbl.local.redshift.SqlTokens.Token;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Substitutes ExecuteStatement parameters: every {@code :name} outside literals, identifiers and
 * comments becomes the value as an untyped string literal, which Redshift (and PostgreSQL)
 * convert to the type the context needs. Pure.
 */
final class SqlParameters {
  private SqlParameters() {}

  /**
   * {@code sql} with its parameters replaced.
   *
   * @throws DataApiException a ValidationException when the SQL uses a parameter that is not given
   */
  static String bind(String sql, Map<String, String> parameters) {
    return bind(sql, parameters, new HashSet<>());
  }

  /** Checks that every parameter is used by some statement and every used one is given. */
  static void check(Iterable<String> sqls, Map<String, String> parameters) {
    if (parameters.isEmpty()) {
      return;
    }
    Set<String> used = new HashSet<>();
    for (String sql : sqls) {
      try {
        bind(sql, parameters, used);
      } catch (UnsupportedSqlException unreadable) {
        return; // the statement fails when it runs, naming the problem
      }
    }
    for (String name : parameters.keySet()) {
      if (!used.contains(name)) {
        throw DataApiException.validation("Parameter '" + name + "' is not used in the SQL statement");
      }
    }
  }

  private static String bind(String sql, Map<String, String> parameters, Set<String> used) {
    if (parameters.isEmpty()) {
      return sql;
    }
    SqlTokens tokens = SqlTokens.of(sql);
    TextEdits edits = new TextEdits(sql);
    for (Token token : tokens.all()) {
      if (token.kind() != Kind.PARAM) {
        continue;
      }
      String name = token.text().substring(1);
      String value = parameters.get(name);
      if (value == null) {
        throw DataApiException.validation("The SQL statement uses the parameter :" + name
            + ", which the request does not give");
      }
      used.add(name);
      edits.replace(token.start(), token.end(), "'" + value.replace("'", "''") + "'");
    }
    return edits.isEmpty() ? sql : edits.apply();
  }
}
