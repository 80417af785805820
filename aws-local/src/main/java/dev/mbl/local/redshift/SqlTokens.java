package dev.mbl.local.redshift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Redshift SQL statement split into tokens that keep their place in the original text, so a
 * translation can edit a few tokens and leave every other character as written. Knows string
 * literals ({@code 'it''s'}, {@code E'..'}, {@code $$..$$}), quoted identifiers, comments, the
 * {@code ::} cast and Data API parameters ({@code :name}). Pure and immutable.
 */
final class SqlTokens {
  enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PARAM, SYMBOL, SPACE, COMMENT }

  /** One token: its kind and its place {@code [start, end)} in the statement text. */
  record Token(Kind kind, String text, int start, int end) {
    /** True for a bare word equal (ignoring case) to {@code word}. */
    boolean is(String word) {
      return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
      return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** The word in upper case; other kinds as written. */
    String upper() {
      return kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : text;
    }

    /** A string literal's value (quotes removed, doubled quotes undone); other kinds as written. */
    String value() {
      if (kind == Kind.STRING) {
        if (text.startsWith("$")) {
          int open = text.indexOf('$', 1) + 1;
          return text.substring(open, text.length() - open);
        }
        int first = text.indexOf('\'');
        return text.substring(first + 1, text.length() - 1).replace("''", "'");
      }
      if (kind == Kind.QUOTED_IDENT) {
        return text.substring(1, text.length() - 1).replace("\"\"", "\"");
      }
      return text;
    }

    /** An identifier as Redshift reads it: bare words fold to lower case, quoted ones do not. */
    String identifier() {
      return kind == Kind.QUOTED_IDENT ? value() : foldAscii(text);
    }
  }

  /**
   * ASCII letters in lower case, every other character as it is: how Redshift ("Names and
   * identifiers") and PostgreSQL fold identifiers; multibyte letters keep their case.
   */
  static String foldAscii(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return out.toString();
  }

  private final String sql;
  private final List<Token> all;
  private final List<Token> significant;

  private SqlTokens(String sql, List<Token> all) {
    this.sql = sql;
    this.all = List.copyOf(all);
    this.significant = all.stream().filter(t -> t.kind() != Kind.SPACE && t.kind() != Kind.COMMENT).toList();
  }

  /** Splits {@code sql}; throws {@link UnsupportedSqlException} for an unclosed literal or comment. */
  static SqlTokens of(String sql) {
    return new SqlTokens(sql, lex(sql));
  }

  String sql() {
    return sql;
  }

  /** Every token, spaces and comments included. */
  List<Token> all() {
    return all;
  }

  /** The tokens without spaces and comments. */
  List<Token> significant() {
    return significant;
  }

  /** The significant token at {@code index}, or null past the end. */
  Token at(int index) {
    return index >= 0 && index < significant.size() ? significant.get(index) : null;
  }

  int size() {
    return significant.size();
  }

  /** The index of the parenthesis closing the one at {@code open}, or -1 when unbalanced. */
  int closing(int open) {
    int depth = 0;
    for (int i = open; i < significant.size(); i++) {
      Token t = significant.get(i);
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")") && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static List<Token> lex(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      Kind kind;
      if (Character.isWhitespace(c)) {
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
          i++;
        }
        kind = Kind.SPACE;
      } else if (sql.startsWith("--", i)) {
        i = sql.indexOf('\n', i);
        i = i < 0 ? n : i;
        kind = Kind.COMMENT;
      } else if (sql.startsWith("/*", i)) {
        i = endOf(sql, "*/", i + 2, "a comment");
        kind = Kind.COMMENT;
      } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
        i = endOfQuoted(sql, c == '\'' ? i : i + 1, '\'', c != '\'');
        kind = Kind.STRING;
      } else if (c == '"') {
        i = endOfQuoted(sql, i, '"', false);
        kind = Kind.QUOTED_IDENT;
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        i = endOf(sql, tag, i + tag.length(), "a $-quoted string");
        kind = Kind.STRING;
      } else if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        kind = Kind.WORD;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        i = endOfNumber(sql, i);
        kind = Kind.NUMBER;
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        i += 2;
        kind = Kind.SYMBOL;
      } else if (c == ':' && i + 1 < n && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
        i++;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        kind = Kind.PARAM;
      } else {
        i++;
        kind = Kind.SYMBOL;
      }
      tokens.add(new Token(kind, sql.substring(start, i), start, i));
    }
    return tokens;
  }

  private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
    int i = open + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    throw new UnsupportedSqlException("unterminated " + (quote == '"' ? "quoted identifier" : "string literal")
        + " starting at position " + (open + 1));
  }

  private static int endOf(String sql, String terminator, int from, String what) {
    int end = sql.indexOf(terminator, from);
    if (end < 0) {
      throw new UnsupportedSqlException("unterminated " + what + " starting at position " + (from - 1));
    }
    return end + terminator.length();
  }

  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
      return sql.substring(i, j + 1);
    }
    return null;
  }

  private static int endOfNumber(String sql, int i) {
    int n = sql.length();
    while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
      i++;
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < n && Character.isDigit(sql.charAt(j))) {
        i = j;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }
}
