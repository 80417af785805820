package dev.mbl.config;

import dev.mbl.sql.SqlLiteral;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a COPY options string against mbl's allowlist into normalised clauses (upper-case
 * keywords, literals re-quoted by {@link SqlLiteral}). Anything not on the list is rejected with
 * the option's name and how to fix it; quoted values are never echoed, since a rejected
 * {@code CREDENTIALS} value is a secret. One instance parses one string.
 */
final class CopyOptionsParser {
  /** The allowlist, as error messages and the docs present it. */
  static final String ALLOWED = "FORMAT [AS] CSV [QUOTE [AS] 'c'] | JSON 'auto' | JSON 'auto ignorecase' | PARQUET "
      + "| ORC (or CSV, JSON, PARQUET, ORC without FORMAT), DELIMITER [AS] 'c', IGNOREHEADER [AS] n, GZIP, BZIP2, "
      + "ZSTD, LZOP, TIMEFORMAT [AS] 'auto'|'epochsecs'|'epochmillisecs'|'format', DATEFORMAT [AS] 'auto'|'format', "
      + "NULL AS 'string', BLANKSASNULL, EMPTYASNULL, ACCEPTINVCHARS [[AS] 'c'], TRUNCATECOLUMNS, MAXERROR [AS] n, "
      + "REGION [AS] 'region', ACCEPTANYDATE, FILLRECORD, IGNOREBLANKLINES, TRIMBLANKS, ROUNDEC, ESCAPE, "
      + "REMOVEQUOTES, EXPLICIT_IDS";

  static final int MAX_MAXERROR = 100_000;
  private static final int MAX_VALUE_LENGTH = 100;
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  private static final Set<String> FORMATS = Set.of("CSV", "JSON", "PARQUET", "ORC");
  private static final Set<String> COLUMNAR = Set.of("PARQUET", "ORC");
  private static final Set<String> COMPRESSIONS = Set.of("GZIP", "BZIP2", "ZSTD", "LZOP");
  private static final String GUIDE = "Amazon Redshift Database Developer Guide";
  /** What "COPY from columnar data formats" lists, besides FROM, IAM_ROLE, MANIFEST and STATUPDATE (mbl's). */
  private static final Set<String> COLUMNAR_OPTIONS = Set.of("ACCEPTINVCHARS", "FILLRECORD", "EXPLICIT_IDS");
  /** "The following options aren't supported with JSON" ("Data format parameters"; CSV is a format here). */
  private static final List<String> NOT_WITH_JSON =
      List.of("DELIMITER", "ESCAPE", "FILLRECORD", "IGNOREBLANKLINES", "NULL AS", "REMOVEQUOTES");
  /** "CSV cannot be used with FIXEDWIDTH, REMOVEQUOTES, or ESCAPE" ("Data format parameters"). */
  private static final List<String> NOT_WITH_CSV = List.of("ESCAPE", "REMOVEQUOTES");
  private static final Set<String> FLAGS = Set.of("BLANKSASNULL", "EMPTYASNULL", "TRUNCATECOLUMNS",
      "ACCEPTANYDATE", "FILLRECORD", "IGNOREBLANKLINES", "TRIMBLANKS", "ROUNDEC", "ESCAPE", "REMOVEQUOTES",
      "EXPLICIT_IDS");
  private static final String SECRETS = " would put credentials into the config and the SQL text; fix: remove it "
      + "and grant S3 access to the role in copy.role_arn";
  private static final String ENCRYPTION = " needs the client-side key in the COPY text, which mbl never writes into "
      + "SQL; fix: remove it and encrypt the files with SSE-S3 or SSE-KMS, which COPY reads transparently";
  /** Options mbl controls itself or that are unsafe, with why and how to fix. */
  private static final Map<String, String> REJECTED = Map.ofEntries(
      Map.entry("MANIFEST", " is added by mbl, which always loads through a manifest it writes; fix: remove it"),
      Map.entry("IAM_ROLE", " is set by mbl from copy.role_arn; fix: remove it and put the role ARN in copy.role_arn"),
      Map.entry("CREDENTIALS", SECRETS),
      Map.entry("ACCESS_KEY_ID", SECRETS),
      Map.entry("SECRET_ACCESS_KEY", SECRETS),
      Map.entry("SESSION_TOKEN", SECRETS),
      Map.entry("COMPUPDATE", " is set by mbl (COMPUPDATE OFF STATUPDATE OFF on the staging table); fix: remove it"),
      Map.entry("STATUPDATE", " is set by mbl (COMPUPDATE OFF STATUPDATE OFF on the staging table); fix: remove it"),
      Map.entry("NOLOAD", " would check the files without loading them, yet mark them loaded; fix: remove it"),
      Map.entry("SSH", " loads from remote hosts, and mbl loads only from S3 manifests; fix: remove it"),
      Map.entry("ENCRYPTED", ENCRYPTION),
      Map.entry("MASTER_SYMMETRIC_KEY", ENCRYPTION));

  private enum Kind { WORD, NUMBER, STRING }

  private record Token(Kind kind, String text, int position) {
    String described() {
      return switch (kind) {
        case WORD -> "'" + text + "'";
        case NUMBER -> "the number " + text;
        case STRING -> "a quoted value";
      } + " at position " + position;
    }
  }

  private final List<Token> tokens;
  private final List<String> clauses = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  /** Every option given, as its documents name it (NULL AS, GZIP, ...), in order; formats excluded. */
  private final Set<String> given = new LinkedHashSet<>();
  private int next;
  private String format;
  private String compression;

  private CopyOptionsParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** The normalised clauses of {@code options}; throws IllegalArgumentException "what; fix: how". */
  static List<String> parse(String options) {
    CopyOptionsParser parser = new CopyOptionsParser(tokenize(options));
    while (parser.next < parser.tokens.size()) {
      parser.option(parser.take());
    }
    parser.checkCombinations();
    return parser.clauses;
  }

  private void option(Token token) {
    if (token.kind() != Kind.WORD) {
      throw fail(token.described() + " does not follow an option that takes a value",
          "put each value right after its option, e.g. IGNOREHEADER 1 or DELIMITER ','");
    }
    String word = token.text();
    if (REJECTED.containsKey(word)) {
      throw new IllegalArgumentException("COPY option " + word + REJECTED.get(word));
    }
    if (!word.equals("FORMAT") && !FORMATS.contains(word)) {
      given.add(word.equals("NULL") ? "NULL AS" : word);
    }
    switch (word) {
      case "FORMAT" -> {
        optionalAs();
        formatClause(expect(Kind.WORD, "FORMAT", "a format: CSV, JSON 'auto', PARQUET or ORC"));
      }
      case "CSV", "JSON", "PARQUET", "ORC" -> formatClause(token);
      case "GZIP", "BZIP2", "ZSTD", "LZOP" -> {
        if (compression != null) {
          throw fail("two compressions are given: " + compression + " and " + word, "keep the one the files use");
        }
        compression = word;
        clauses.add(word);
      }
      case "DELIMITER" -> clauses.add(valued(word) + quote(word, oneCharacter(word, "','")));
      case "IGNOREHEADER" -> clauses.add(valued(word) + number(word, Integer.MAX_VALUE));
      case "MAXERROR" -> clauses.add(valued(word) + number(word, MAX_MAXERROR));
      case "TIMEFORMAT" ->
          clauses.add(valued(word) + quote(word, named(word, "auto", "epochsecs", "epochmillisecs")));
      case "DATEFORMAT" -> clauses.add(valued(word) + quote(word, named(word, "auto")));
      case "REGION" -> clauses.add(valued(word) + quote(word, region()));
      case "NULL" -> {
        once(word);
        if (!optionalAs()) {
          throw fail("NULL must be followed by AS", "write NULL AS 'string'");
        }
        clauses.add("NULL AS " + quote(word, value(word, "NULL AS ''")));
      }
      case "ACCEPTINVCHARS" -> {
        once(word);
        boolean as = optionalAs();
        boolean replacement = as || peek(Kind.STRING);
        clauses.add(replacement ? "ACCEPTINVCHARS AS " + quote(word, oneCharacter(word, "'?'")) : word);
      }
      case "QUOTE" -> throw fail("QUOTE at position " + token.position() + " does not follow CSV",
          "write it right after CSV, e.g. FORMAT AS CSV QUOTE AS '\"'");
      default -> {
        if (!FLAGS.contains(word)) {
          throw fail("'" + Problems.shown(word) + "' is not an allowed COPY option", "use only " + ALLOWED);
        }
        once(word);
        clauses.add(word);
      }
    }
  }

  private void formatClause(Token token) {
    String name = token.text();
    if (!FORMATS.contains(name)) {
      throw fail("FORMAT AS " + Problems.shown(name) + " is not supported",
          "use CSV, JSON 'auto', JSON 'auto ignorecase', PARQUET or ORC");
    }
    if (format != null) {
      throw fail("two formats are given: " + format + " and " + name, "keep the one the files use");
    }
    format = name;
    StringBuilder clause = new StringBuilder("FORMAT AS ").append(name);
    if (name.equals("CSV") && peek(Kind.WORD) && tokens.get(next).text().equals("QUOTE")) {
      take();
      optionalAs();
      clause.append(" QUOTE AS ").append(quote("QUOTE", oneCharacter("QUOTE", "'\"'")));
    } else if (name.equals("JSON")) {
      String argument = value("JSON", "JSON 'auto'").strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
      if (!argument.equals("auto") && !argument.equals("auto ignorecase")) {
        throw fail("JSON takes only 'auto' or 'auto ignorecase' here (JSONPaths files are not supported)",
            "write JSON 'auto' and name the JSON keys like the table's columns");
      }
      clause.append(' ').append(quote("JSON", argument));
    }
    clauses.add(clause.toString());
  }

  /** Options Redshift refuses with the given format, naming the document that says so. */
  private void checkCombinations() {
    if (format != null && COLUMNAR.contains(format)) {
      for (String option : given) {
        if (!COLUMNAR_OPTIONS.contains(option)) {
          throw fail("COPY option " + option + " cannot be used with FORMAT AS " + format + ": \"COPY from columnar "
              + "data formats\" (" + GUIDE + ") lists only ACCEPTINVCHARS, FILLRECORD and EXPLICIT_IDS besides "
              + "FROM, IAM_ROLE, MANIFEST and STATUPDATE, which mbl sets", "remove " + option
              + (COMPRESSIONS.contains(option) ? " (" + format + " files carry their own compression)" : ""));
        }
      }
    }
    refuse("JSON", NOT_WITH_JSON, "these options aren't supported with JSON: " + String.join(", ", NOT_WITH_JSON),
        "");
    refuse("CSV", NOT_WITH_CSV, "CSV can't be used with FIXEDWIDTH, REMOVEQUOTES, or ESCAPE",
        " (CSV handles quotes itself)");
  }

  private void refuse(String withFormat, List<String> options, String rule, String hint) {
    if (!withFormat.equals(format)) {
      return;
    }
    for (String option : options) {
      if (given.contains(option)) {
        throw fail("COPY option " + option + " cannot be used with FORMAT AS " + format + ": \"Data format "
            + "parameters\" (" + GUIDE + ") says " + rule, "remove " + option + hint);
      }
    }
  }

  /** Starts an option written {@code OPTION [AS] value}: returns the clause's start, "OPTION ". */
  private String valued(String option) {
    once(option);
    optionalAs();
    return option + " ";
  }

  private String value(String option, String example) {
    return expect(Kind.STRING, option, "a value in single quotes, e.g. " + example).text();
  }

  private String oneCharacter(String option, String example) {
    String value = value(option, option + " " + example);
    if (value.codePointCount(0, value.length()) != 1 || value.charAt(0) > 127) {
      throw fail(option + " takes one ASCII character", "write e.g. " + option + " " + example
          + " (a tab as a real tab character, \\t in the JSON string)");
    }
    return value;
  }

  private String named(String option, String... keywords) {
    String value = value(option, option + " '" + keywords[0] + "'");
    for (String keyword : keywords) {
      if (keyword.equalsIgnoreCase(value.strip())) {
        return keyword;
      }
    }
    if (value.isBlank() || value.length() > MAX_VALUE_LENGTH) {
      throw fail(option + " needs 1 to " + MAX_VALUE_LENGTH + " characters",
          "write e.g. " + option + " '" + keywords[0] + "'");
    }
    return value;
  }

  private String region() {
    String value = value("REGION", "REGION 'us-east-1'").strip().toLowerCase(Locale.ROOT);
    if (!REGION.matcher(value).matches()) {
      throw fail("REGION needs an AWS region name", "write e.g. REGION 'us-east-1', the region of the bucket");
    }
    return value;
  }

  private String number(String option, int max) {
    Token token = expect(Kind.NUMBER, option, "a whole number, e.g. " + option + " 1");
    String digits = token.text().replaceFirst("^0+(?=\\d)", "");
    if (digits.length() > 10 || Long.parseLong(digits) > max) {
      throw fail(option + " " + Problems.shown(token.text()) + " is too large", "use 0 to " + max);
    }
    return digits;
  }

  private String quote(String option, String value) {
    if (value.length() > MAX_VALUE_LENGTH) {
      throw fail("the value of " + option + " is longer than " + MAX_VALUE_LENGTH + " characters", "shorten it");
    }
    try {
      return SqlLiteral.quote(value);
    } catch (IllegalArgumentException e) {
      throw fail("the value of " + option + " " + e.getMessage(),
          "write the character itself (a tab as \\t in the JSON string); backslash escapes are not supported");
    }
  }

  private void once(String option) {
    if (!seen.add(option)) {
      throw fail(option + " is given twice", "keep one");
    }
  }

  private boolean optionalAs() {
    if (peek(Kind.WORD) && tokens.get(next).text().equals("AS")) {
      next++;
      return true;
    }
    return false;
  }

  private boolean peek(Kind kind) {
    return next < tokens.size() && tokens.get(next).kind() == kind;
  }

  private Token take() {
    return tokens.get(next++);
  }

  private Token expect(Kind kind, String option, String what) {
    if (!peek(kind)) {
      String got = next < tokens.size() ? tokens.get(next).described() : "the end of the options";
      throw fail(option + " needs " + what + ", not " + got, "complete " + option);
    }
    return take();
  }

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == ';') {
        throw fail("';' at position " + (i + 1) + " would end the COPY statement",
            "remove it: the options are one list of clauses");
      } else if (text.startsWith("--", i) || text.startsWith("/*", i)) {
        throw fail("a comment at position " + (i + 1) + " is not allowed in COPY options", "remove it");
      } else if (c == '\'') {
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= text.length()) {
            throw fail("the quoted value at position " + (start + 1) + " is not closed",
                "end it with ' (write '' for a quote inside a value)");
          }
          if (text.charAt(i) == '\'' && !text.startsWith("''", i)) {
            break;
          }
          value.append(text.charAt(i));
          i += text.charAt(i) == '\'' ? 2 : 1;
        }
        i++;
        tokens.add(new Token(Kind.STRING, value.toString(), start + 1));
      } else if (isLetter(c) || c == '_') {
        while (i < text.length() && (isLetter(text.charAt(i)) || isDigit(text.charAt(i)) || text.charAt(i) == '_')) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, text.substring(start, i).toUpperCase(Locale.ROOT), start + 1));
      } else if (isDigit(c)) {
        while (i < text.length() && isDigit(text.charAt(i))) {
          i++;
        }
        if (i < text.length() && (isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
          throw fail("a number at position " + (start + 1) + " runs into a word", "separate them with a space");
        }
        tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start + 1));
      } else {
        int code = text.codePointAt(i);
        String shown = Character.isISOControl(code) || !Character.isDefined(code)
            ? String.format("U+%04X", code) : "'" + Character.toString(code) + "'";
        throw fail("unexpected character " + shown + " at position " + (i + 1),
            "use only option keywords, whole numbers and values in single quotes");
      }
    }
    return tokens;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException fail(String what, String fix) {
    return new IllegalArgumentException(what + "; fix: " + fix);
  }
}
