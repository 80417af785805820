package dev.mbl.warehouse;

import java.util.List;
import java.util.Locale;

/**
 * Classifies Redshift's error text of a failed batch, checking in this order:
 * <ol>
 *   <li>errors that name a file's content or absence (a COPY load error, a vanished object): DATA;
 *   <li>errors about the table, permissions or SQL: SETUP (checked before transient words, so a
 *       relation called "connections" that does not exist is not mistaken for a connection error);
 *   <li>phrases of passing trouble (isolation conflicts, lost connections, memory, throttling): TRANSIENT;
 * </ol>
 * Everything else, content errors included, counts as DATA: bisecting ends by quarantining files with the error text, which
 * an operator can re-drive, whereas treating an unknown data error as SETUP would block the table
 * for ever.
 */
public final class ErrorClassifier {
  private static final List<String> FILE_ERRORS = List.of(
      "stl_load_errors", "load into table", "the specified key does not exist", "nosuchkey");
  private static final List<String> SETUP = List.of(
      "permission denied", "does not exist", "syntax error", "not authorized", "access denied",
      "accessdenied", "unauthorized", "invalidclienttokenid", "no such role", "cannot assume role",
      "is not a column", "must be owner", "authentication", "invalid credentials", "invalid iam_role",
      "the bucket you are attempting to access must be addressed", "is in a different region",
      "invalid operation: function");
  private static final List<String> TRANSIENT = List.of(
      "error: 1023", "1023 detail", "serializable isolation violation",
      "could not complete because of conflict with concurrent transaction", "could not serialize access",
      "deadlock detected", "connection reset", "connection refused", "connection timed out", "could not connect",
      "lost connection", "server closed the connection", "terminating connection", "connection to the server",
      "out of memory", "memory limit exceeded", "disk full", "throttl", "rate exceeded", "activestatementsexceeded",
      "too many connections", "temporarily unavailable", "service unavailable", "cluster is not available",
      "workgroup is not available", "is being resized", "query cancelled", "canceling statement due to conflict",
      "internal error occurred", "please retry");
  private ErrorClassifier() {}

  /** Classifies a statement that ended FAILED with {@code error}; ABORTED is always TRANSIENT. */
  public static ErrorClass classify(String error) {
    String text = error == null ? "" : error.toLowerCase(Locale.ROOT);
    if (containsAny(text, FILE_ERRORS)) {
      return ErrorClass.DATA;
    }
    if (containsAny(text, SETUP)) {
      return ErrorClass.SETUP;
    }
    if (containsAny(text, TRANSIENT)) {
      return ErrorClass.TRANSIENT;
    }
    return ErrorClass.DATA;
  }

  private static boolean containsAny(String text, List<String> needles) {
    for (String needle : needles) {
      if (text.contains(needle)) {
        return true;
      }
    }
    return false;
  }
}
