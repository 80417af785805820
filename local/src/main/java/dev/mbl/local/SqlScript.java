package dev.mbl.local;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script (a table's DDL) into statements at top-level semicolons: not inside
 * '...' strings, "..." identifiers, $$...$$ bodies, -- line comments or block comments.
 */
final class SqlScript {
  private SqlScript() {}

  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    while (i < script.length()) {
      char c = script.charAt(i);
      int end = i + 1;
      if (c == '\'' || c == '"') {
        end = closing(script, i + 1, String.valueOf(c));
      } else if (script.startsWith("$$", i)) {
        end = closing(script, i + 2, "$$");
      } else if (script.startsWith("--", i)) {
        end = closing(script, i + 2, "\n");
      } else if (script.startsWith("/*", i)) {
        end = closing(script, i + 2, "*/");
      } else if (c == ';') {
        add(statements, current);
        current.setLength(0);
        i = end;
        continue;
      }
      current.append(script, i, end);
      i = end;
    }
    add(statements, current);
    return statements;
  }

  /** The index after {@code close} at or after {@code from}; the script's end when it never closes. */
  private static int closing(String script, int from, String close) {
    int at = script.indexOf(close, from);
    return at < 0 ? script.length() : at + close.length();
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty() && !statement.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
      statements.add(statement);
    }
  }
}
