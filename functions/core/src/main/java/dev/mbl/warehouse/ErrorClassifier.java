package dev.mbl.warehouse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies Redshift's error text of a failed batch, checking in this order:
 * <ol>
 *   <li>a COPY load error (Redshift points at its load-error views): DATA, diagnosed;
 *   <li>a data file that vanished from S3 (not the manifest): DATA, bisected down to the file;
 *   <li>a cancel or timeout ("Query (N) cancelled on user's request"): SETUP, since whoever
 *       cancelled it would cancel a retry too;
 *   <li>errors about the table, permissions, SQL, refused COPY options, IDENTITY or NOT NULL
 *       columns: SETUP (checked before transient words, so a relation called "connections" that
 *       does not exist is not mistaken for a connection error);
 *   <li>phrases of passing trouble (isolation conflicts, lost connections, memory, throttling): TRANSIENT;
 * </ol>
 * Everything else is UNKNOWN: never quarantined unless a split shows one file causes it.
 */
public final class ErrorClassifier {
  private static final List<String> LOAD_ERRORS = List.of(
      "stl_load_errors", "sys_load_error_detail", "load into table");
  private static final List<String> CANCELLED = List.of(
      "cancelled on user's request", "canceled on user's request", "statement timeout",
      "canceling statement due to statement timeout", "query timed out", "cancelled by wlm", "canceled by wlm",
      "query was cancelled", "query cancelled", "query canceled");
  private static final List<String> SETUP = List.of(
      "permission denied", "does not exist", "syntax error", "not authorized", "access denied",
      "accessdenied", "unauthorized", "invalidclienttokenid", "no such role", "cannot assume role",
      "is not a column", "must be owner", "authentication", "invalid credentials", "invalid iam_role",
      "the bucket you are attempting to access must be addressed", "is in a different region",
      "invalid operation: function",
      // COPY options or statements Redshift refuses: every file of every batch fails the same way.
      "argument is not supported", "is not supported for", "not supported with", "are not supported",
      "cannot run inside a transaction block", "cannot be executed within a transaction block",
      "conflicting or redundant options", "invalid option", "unknown option", "option is not valid",
      // IDENTITY and NOT NULL column rules of the table.
      "identity column", "cannot insert a null value into column", "violates not-null constraint",
      "not null column without default", "must be included in column list");
  private static final List<String> TRANSIENT = List.of(
      "error: 1023", "1023 detail", "serializable isolation violation",
      "could not complete because of conflict with concurrent transaction", "could not serialize access",
      "deadlock detected", "connection reset", "connection refused", "connection timed out", "could not connect",
      "lost connection", "server closed the connection", "terminating connection", "connection to the server",
      "out of memory", "memory limit exceeded", "disk full", "throttl", "rate exceeded", "activestatementsexceeded",
      "too many connections", "temporarily unavailable", "service unavailable", "cluster is not available",
      "workgroup is not available", "is being resized", "canceling statement due to conflict",
      "internal error occurred", "please retry");
  private static final List<String> MISSING_OBJECT = List.of("the specified key does not exist", "nosuchkey");
  private static final String NAME_END = " \t\r\n'\",;)]";
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final Pattern NUMBER_OR_ID = Pattern.compile("[0-9a-z]*[0-9][0-9a-z]*");

  private ErrorClassifier() {}

  /** Classifies a statement that ended FAILED with {@code error}. */
  public static ErrorClass classify(String error) {
    String text = error == null ? "" : error.toLowerCase(Locale.ROOT);
    if (containsAny(text, LOAD_ERRORS)) {
      return ErrorClass.DATA;
    }
    if (containsAny(text, MISSING_OBJECT) && !text.contains("manifest")) {
      return ErrorClass.DATA;
    }
    if (containsAny(text, CANCELLED) || containsAny(text, SETUP)) {
      return ErrorClass.SETUP;
    }
    if (containsAny(text, TRANSIENT)) {
      return ErrorClass.TRANSIENT;
    }
    return ErrorClass.UNKNOWN;
  }

  /** True when Redshift's text is a COPY load error, whose rows in sys_load_error_detail name the files. */
  public static boolean isLoadError(String error) {
    return error != null && containsAny(error.toLowerCase(Locale.ROOT), LOAD_ERRORS);
  }

  /**
   * True when Redshift's text names the object {@code s3://bucket/key}: as an {@code s3://} URL, or
   * as the path-style {@code https://s3.<region>.amazonaws.com/bucket/key} a columnar (Spectrum)
   * COPY error uses, the key raw or URL-encoded, followed by the end of a name (end of text,
   * whitespace, quote, comma, bracket), so {@code a.csv} is not found in {@code a.csv.gz}.
   */
  public static boolean namesFile(String error, String bucket, String key) {
    if (error == null) {
      return false;
    }
    String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    for (String path : List.of(bucket + "/" + key, bucket + "/" + encoded)) {
      for (String form : List.of("s3://" + path, ".amazonaws.com/" + path)) {
        int from = error.indexOf(form);
        while (from >= 0) {
          int end = from + form.length();
          if (end == error.length() || NAME_END.indexOf(error.charAt(end)) >= 0) {
            return true;
          }
          from = error.indexOf(form, from + 1);
        }
      }
    }
    return false;
  }

  /**
   * The error with what differs between two runs of the same failure blanked (quoted names,
   * numbers, ids such as a staging table's batch id), lower case, whitespace collapsed: two batches
   * failing "the same way" have equal normalised errors.
   */
  public static String normalise(String error) {
    String text = error == null ? "" : error.toLowerCase(Locale.ROOT);
    text = QUOTED.matcher(text).replaceAll("'?'");
    text = NUMBER_OR_ID.matcher(text).replaceAll("#");
    return text.replaceAll("\\s+", " ").trim();
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
