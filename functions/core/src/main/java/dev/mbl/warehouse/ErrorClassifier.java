package dev.mbl.warehouse;

import java.util.List;
import java.util.Locale;

/**
 * Classifies Redshift's error text of a failed batch. Unknown errors count as DATA: bisecting
 * ends by quarantining files with the error text, which an operator can re-drive, whereas
 * treating an unknown data error as SETUP would block the table for ever.
 */
public final class ErrorClassifier {
  private static final List<String> TRANSIENT = List.of(
      "1023", "serializable isolation violation", "could not complete because of conflict with concurrent transaction",
      "connection", "timed out", "timeout", "out of memory", "memory limit", "disk full",
      "throttl", "rate exceeded", "activestatementsexceeded", "too many", "temporarily",
      "cluster is not available", "workgroup is not available", "is being resized", "server closed",
      "terminating connection", "query cancelled", "canceling statement due to conflict",
      "could not serialize access", "deadlock detected", "internal error", "service unavailable");
  private static final List<String> SETUP = List.of(
      "permission denied", "does not exist", "syntax error", "not authorized", "access denied",
      "accessdenied", "unauthorized", "invalidclienttokenid", "no such role", "cannot assume role",
      "is not a column", "column count", "must be owner", "authentication", "invalid credentials",
      "invalid iam_role", "invalid operation: function", "the bucket you are attempting to access must be addressed",
      "s3 bucket addressed by the query is in a different region", "the specified bucket does not exist");
  private static final List<String> DATA = List.of(
      "stl_load_errors", "load into table", "invalid digit", "delimiter not found", "extra column",
      "missing data for", "string length exceeds", "invalid timestamp", "invalid date", "invalid input syntax",
      "numeric value out of range", "value too long", "overflow", "parquet", "not a valid json",
      "invalid json", "manifest", "the specified key does not exist", "nosuchkey", "unexpected end",
      "invalid byte sequence", "gzip", "decompress", "bz2", "zstd", "null value in column",
      "violates not-null constraint", "out of range");

  private ErrorClassifier() {}

  /** Classifies a statement that ended FAILED with {@code error}; ABORTED is always TRANSIENT. */
  public static ErrorClass classify(String error) {
    String text = error == null ? "" : error.toLowerCase(Locale.ROOT);
    // Data first: a load error message also mentions the table, which the setup words may match.
    if (containsAny(text, DATA)) {
      return ErrorClass.DATA;
    }
    if (containsAny(text, TRANSIENT)) {
      return ErrorClass.TRANSIENT;
    }
    if (containsAny(text, SETUP)) {
      return ErrorClass.SETUP;
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
