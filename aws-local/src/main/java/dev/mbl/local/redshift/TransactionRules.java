package dev.mbl.local.redshift;

import dev.mbl.local.redshift.SqlTokens.Kind;
import dev.mbl.local.redshift.SqlTokens.Token;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redshift's rules about where a statement may run, read from its tokens. Pure.
 *
 * <ul>
 *   <li>Statements "SVL_MULTI_STATEMENT_VIOLATIONS" and "Serializable isolation" list (VACUUM,
 *       ALTER TABLE APPEND, CREATE/DROP/ALTER EXTERNAL ..., CREATE/DROP DATABASE, LIBRARY,
 *       TABLESPACE) and ALTER TABLE ... ALTER COLUMN ... TYPE ("ALTER TABLE") cannot run inside a
 *       transaction block, which every BatchExecuteStatement is.</li>
 *   <li>TRUNCATE commits the transaction it runs in ("TRUNCATE").</li>
 *   <li>Serverless has no STL, STV, SVCS or SVL views ("System monitoring (provisioned only)").</li>
 * </ul>
 */
final class TransactionRules {
  private static final Set<String> OUTSIDE_BLOCK_OBJECTS = Set.of("DATABASE", "LIBRARY", "TABLESPACE", "EXTERNAL");
  private static final Pattern SYSTEM_VIEW = Pattern.compile("(stl|stv|svl|svcs)_[a-z0-9_]+");
  private static final Pattern TIMEOUT = Pattern.compile("(?is)\\s*set\\s+(session\\s+)?statement_timeout\\s*(to|=)"
      + "\\s*'?(\\d+)'?\\s*;?\\s*");

  private TransactionRules() {}

  /** The command, as Redshift names it in its error, when {@code sql} cannot run in a transaction block. */
  static Optional<String> notInTransactionBlock(String sql) {
    SqlTokens tokens = SqlTokens.of(sql);
    Token first = tokens.at(0);
    if (first == null) {
      return Optional.empty();
    }
    String verb = first.upper();
    if (verb.equals("VACUUM")) {
      return Optional.of("VACUUM");
    }
    Token object = tokens.at(1);
    if ((verb.equals("CREATE") || verb.equals("DROP") || verb.equals("ALTER")) && object != null
        && OUTSIDE_BLOCK_OBJECTS.contains(object.upper())) {
      Token kind = tokens.at(2);
      return Optional.of(verb + " " + object.upper()
          + (object.is("EXTERNAL") && kind != null && kind.kind() == Kind.WORD ? " " + kind.upper() : ""));
    }
    if (verb.equals("ALTER") && object != null && object.is("TABLE")) {
      int i = 3;
      while (tokens.at(i) != null && tokens.at(i).isSymbol(".")) {
        i += 2;
      }
      Token action = tokens.at(i);
      if (action != null && action.is("APPEND")) {
        return Optional.of("ALTER TABLE APPEND");
      }
      if (action != null && action.is("ALTER")) {
        int column = tokens.at(i + 1) != null && tokens.at(i + 1).is("COLUMN") ? i + 3 : i + 2;
        Token what = tokens.at(column);
        if (what != null && (what.is("TYPE") || (what.is("SET") && tokens.at(column + 1) != null
            && tokens.at(column + 1).is("DATA")))) {
          return Optional.of("ALTER TABLE ALTER COLUMN");
        }
      }
    }
    return Optional.empty();
  }

  /** Redshift's text for {@code command} inside a transaction block (PostgreSQL's wording, which Redshift keeps). */
  static String notInTransactionBlockError(String command) {
    return command + " cannot run inside a transaction block";
  }

  /** Whether {@code sql} is a TRUNCATE, which commits the open transaction. */
  static boolean commits(String sql) {
    Token first = SqlTokens.of(sql).at(0);
    return first != null && first.is("TRUNCATE");
  }

  /** The first STL, STV, SVCS or SVL view {@code sql} reads, if any. */
  static Optional<String> systemView(String sql) {
    SqlTokens tokens = SqlTokens.of(sql);
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.at(i);
      if ((t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT)
          && SYSTEM_VIEW.matcher(t.identifier().toLowerCase(Locale.ROOT)).matches()) {
        return Optional.of(t.identifier().toLowerCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }

  /** The milliseconds of {@code SET statement_timeout}, if {@code sql} sets it. */
  static Optional<Long> statementTimeout(String sql) {
    Matcher m = TIMEOUT.matcher(sql);
    return m.matches() ? Optional.of(Long.parseLong(m.group(3))) : Optional.empty();
  }
}
