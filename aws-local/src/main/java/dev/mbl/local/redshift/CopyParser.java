package dev.mbl.local.redshift;

import dev.mbl.local.redshift.CopyCommand.Compression;
import dev.mbl.local.redshift.CopyCommand.Flag;
import dev.mbl.local.redshift.CopyCommand.Format;
import dev.mbl.local.redshift.SqlTokens.Kind;
import dev.mbl.local.redshift.SqlTokens.Token;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses {@code COPY table [(columns)] FROM 's3://...' options} into a {@link CopyCommand}. Options
 * that only tune Redshift (IAM_ROLE, credentials, COMPUPDATE, STATUPDATE, COMPROWS) are accepted
 * and dropped; REGION is kept for the region check; PARQUET takes only the parameters "COPY from
 * columnar data formats" lists, failing with Redshift's text for any other; options that would load differently than the emulator can are rejected
 * naming the option. One instance parses one statement.
 */
final class CopyParser {
  private static final Set<String> IGNORED_WITH_VALUE = Set.of("IAM_ROLE", "CREDENTIALS", "ACCESS_KEY_ID",
      "SECRET_ACCESS_KEY", "SESSION_TOKEN", "COMPROWS");
  /**
   * The only parameters "COPY from columnar data formats" allows with PARQUET and ORC (FORMAT and
   * the format's own name are how the format is named). COMPUPDATE is not among them.
   */
  static final Set<String> COLUMNAR_PARAMETERS = Set.of("ACCEPTINVCHARS", "FILLRECORD", "IAM_ROLE", "CREDENTIALS",
      "STATUPDATE", "MANIFEST", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN", "EXPLICIT_IDS", "FORMAT",
      "PARQUET", "ORC");
  private static final Set<String> UNSUPPORTED_FORMATS = Set.of("ORC", "AVRO", "FIXEDWIDTH", "SHAPEFILE");

  private final SqlTokens tokens;
  private int next;
  private final Set<String> seen = new HashSet<>();
  private final EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
  private Format format;
  private Compression compression = Compression.NONE;
  private Character delimiter;
  private char quote = '"';
  private boolean ignoreCase;
  private boolean manifest;
  private int ignoreHeader;
  private int maxError;
  private String timeFormat;
  private String dateFormat;
  private String nullAs = "\\N";
  private Character replacement;
  private String region;
  private final List<String> parameters = new ArrayList<>();

  private CopyParser(SqlTokens tokens) {
    this.tokens = tokens;
  }

  /** Parses a statement whose first token is COPY; throws {@link UnsupportedSqlException}. */
  static CopyCommand parse(SqlTokens tokens) {
    return new CopyParser(tokens).command();
  }

  private CopyCommand command() {
    next = 1;
    StringBuilder table = new StringBuilder(name("the table"));
    while (peekSymbol(".")) {
      next++;
      table.append('.').append(name("the table"));
    }
    List<String> columns = new ArrayList<>();
    if (peekSymbol("(")) {
      next++;
      do {
        Token column = take("a column name");
        if (column.kind() != Kind.WORD && column.kind() != Kind.QUOTED_IDENT) {
          throw fail("expected a column name, not '" + column.text() + "'");
        }
        columns.add(column.identifier());
      } while (takeSymbol(","));
      if (!takeSymbol(")")) {
        throw fail("the column list is not closed");
      }
    }
    Token from = take("FROM");
    if (from.is("TO")) {
      throw fail("COPY ... TO is not emulated by the local Data API; use UNLOAD on Redshift");
    }
    if (!from.is("FROM")) {
      throw fail("expected FROM after the table, not '" + from.text() + "'");
    }
    String source = string("FROM");
    if (!source.startsWith("s3://")) {
      throw fail("COPY from '" + source.replaceFirst("^(\\w+://).*", "$1") + "...' is not emulated by the local "
          + "Data API: only s3:// sources are");
    }
    while (next < tokens.size()) {
      option(take("an option"));
    }
    return build(table.toString(), columns, source);
  }

  private void option(Token token) {
    if (token.kind() != Kind.WORD) {
      throw fail("unexpected '" + token.text() + "' at position " + (token.start() + 1));
    }
    String word = token.upper();
    parameters.add(word);
    if (word.equals("REGION")) {
      region = valued("REGION");
      return;
    }
    if (IGNORED_WITH_VALUE.contains(word)) {
      optionalAs();
      take(word + "'s value");
      return;
    }
    switch (word) {
      case "MANIFEST" -> manifest = true;
      case "FORMAT" -> {
        optionalAs();
        format(take("a format"));
      }
      case "CSV", "JSON", "PARQUET" -> format(token);
      case "QUOTE" -> {
        optionalAs();
        quote = character("QUOTE");
      }
      case "DELIMITER" -> {
        optionalAs();
        delimiter = character("DELIMITER");
      }
      case "IGNOREHEADER" -> ignoreHeader = number("IGNOREHEADER");
      case "MAXERROR" -> maxError = number("MAXERROR");
      case "TIMEFORMAT" -> timeFormat = valued("TIMEFORMAT");
      case "DATEFORMAT" -> dateFormat = valued("DATEFORMAT");
      case "NULL" -> nullAs = valued("NULL");
      case "ACCEPTINVCHARS" -> {
        replacement = '?';
        if (peekWord("AS") || peek(Kind.STRING)) {
          optionalAs();
          replacement = character("ACCEPTINVCHARS");
        }
      }
      case "GZIP", "BZIP2", "ZSTD" -> compression(Compression.valueOf(word));
      case "COMPUPDATE", "STATUPDATE" -> {
        if (peekWord("ON") || peekWord("OFF") || peekWord("TRUE") || peekWord("FALSE") || peekWord("PRESET")) {
          next++;
        }
      }
      case "ENCODING" -> {
        optionalAs();
        Token encoding = take("an encoding");
        if (!encoding.upper().equals("UTF8")) {
          throw fail("ENCODING " + encoding.text() + " is not emulated by the local Data API: only UTF8 is");
        }
      }
      default -> flag(word);
    }
  }

  private void flag(String word) {
    Flag flag;
    try {
      flag = Flag.valueOf(word);
    } catch (IllegalArgumentException unknown) {
      String why = UNSUPPORTED_FORMATS.contains(word) ? "the format " : "the COPY option ";
      throw fail(why + word + " is not emulated by the local Data API");
    }
    flags.add(flag);
  }

  private void format(Token token) {
    String name = token.upper();
    if (format != null) {
      throw fail("two formats are given: " + format + " and " + name);
    }
    if (UNSUPPORTED_FORMATS.contains(name) || !Set.of("CSV", "JSON", "PARQUET").contains(name)) {
      throw fail("the format " + name + " is not emulated by the local Data API: use CSV, JSON 'auto' or PARQUET");
    }
    format = Format.valueOf(name);
    if (format == Format.JSON && (peekWord("AS") || peek(Kind.STRING))) {
      optionalAs();
      String option = string("JSON").strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
      if (!option.equals("auto") && !option.equals("auto ignorecase")) {
        throw fail("JSON '" + option + "' is not emulated by the local Data API: use JSON 'auto' or "
            + "JSON 'auto ignorecase' (JSONPaths files and noshred are not supported)");
      }
      ignoreCase = option.endsWith("ignorecase");
    } else if (format == Format.PARQUET && peekWord("SERIALIZETOJSON")) {
      throw fail("PARQUET SERIALIZETOJSON is not emulated by the local Data API");
    }
  }

  private void compression(Compression value) {
    if (compression != Compression.NONE) {
      throw fail("two compressions are given: " + compression + " and " + value);
    }
    compression = value;
  }

  private CopyCommand build(String table, List<String> columns, String source) {
    Format actual = format == null ? Format.TEXT : format;
    if (actual == Format.PARQUET) {
      for (String parameter : parameters) {
        if (!COLUMNAR_PARAMETERS.contains(parameter)) {
          // "COPY from columnar data formats" lists the parameters; the text is Redshift's (0A000).
          throw new CopyFailedException(parameter + " argument is not supported for PARQUET based COPY");
        }
      }
    }
    if (actual == Format.PARQUET || actual == Format.JSON) {
      for (String option : List.of("DELIMITER", "IGNOREHEADER", "QUOTE")) {
        if (seen.contains(option)) {
          throw fail(option + " does not apply to " + actual + " files");
        }
      }
    }
    if (actual == Format.PARQUET && compression != Compression.NONE) {
      throw fail(compression + " does not apply to PARQUET files, which carry their own compression");
    }
    if (actual == Format.CSV && (flags.contains(Flag.ESCAPE) || flags.contains(Flag.REMOVEQUOTES))) {
      throw fail("CSV cannot be combined with ESCAPE or REMOVEQUOTES");
    }
    char fieldDelimiter = delimiter != null ? delimiter : actual == Format.CSV ? ',' : '|';
    return new CopyCommand(table, columns, source, manifest, actual, fieldDelimiter, quote, ignoreCase, ignoreHeader,
        compression, timeFormat, dateFormat, nullAs, replacement, maxError, flags, region);
  }

  private String valued(String option) {
    optionalAs();
    return string(option);
  }

  private char character(String option) {
    String value = string(option);
    if (value.length() != 1) {
      throw fail(option + " takes one character, not '" + value + "'");
    }
    return value.charAt(0);
  }

  private int number(String option) {
    optionalAs();
    Token token = take(option + "'s number");
    if (token.kind() != Kind.NUMBER || !token.text().matches("\\d{1,9}")) {
      throw fail(option + " needs a whole number, not '" + token.text() + "'");
    }
    return Integer.parseInt(token.text());
  }

  private String string(String option) {
    Token token = take(option + "'s quoted value");
    if (token.kind() != Kind.STRING) {
      throw fail(option + " needs a value in single quotes, not '" + token.text() + "'");
    }
    seen.add(option);
    return token.value();
  }

  private String name(String what) {
    Token token = take(what);
    if (token.kind() != Kind.WORD && token.kind() != Kind.QUOTED_IDENT) {
      throw fail("expected " + what + ", not '" + token.text() + "'");
    }
    return token.text();
  }

  private void optionalAs() {
    if (peekWord("AS")) {
      next++;
    }
  }

  private boolean peekWord(String word) {
    Token token = tokens.at(next);
    return token != null && token.is(word);
  }

  private boolean peek(Kind kind) {
    Token token = tokens.at(next);
    return token != null && token.kind() == kind;
  }

  private boolean peekSymbol(String symbol) {
    Token token = tokens.at(next);
    return token != null && token.isSymbol(symbol);
  }

  private boolean takeSymbol(String symbol) {
    if (peekSymbol(symbol)) {
      next++;
      return true;
    }
    return false;
  }

  private Token take(String what) {
    Token token = tokens.at(next++);
    if (token == null) {
      throw fail("the statement ends where " + what + " was expected");
    }
    if (token.kind() == Kind.WORD) {
      seen.add(token.upper());
    }
    return token;
  }

  private static UnsupportedSqlException fail(String message) {
    return new UnsupportedSqlException("COPY: " + message);
  }
}
