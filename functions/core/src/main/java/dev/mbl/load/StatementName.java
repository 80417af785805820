package dev.mbl.load;

import java.util.Objects;
import java.util.Optional;

/**
 * The Data API statement name of one batch, {@code {prefix}/{table key}/{batch id}}, or of the
 * query that diagnoses the batch's load error, {@code {prefix}/{table key}/{batch id}.diagnosis}
 * (batch ids never contain a dot). The completion event carries it back, so NextLoader knows the
 * table, the batch and which of the two ended without a lookup. The prefix may itself contain
 * '/': parsing reads from the right.
 */
public record StatementName(String prefix, TableKey table, String batchId, boolean diagnosis) {
  /** The Data API's limit on a statement name. */
  public static final int MAX_LENGTH = 500;
  /** Appended to the batch id in the name of a batch's diagnostic query. */
  public static final String DIAGNOSIS_SUFFIX = ".diagnosis";

  public StatementName {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(batchId, "batchId");
    if (prefix.isEmpty() || batchId.isEmpty() || batchId.contains("/") || batchId.contains(".")) {
      throw new IllegalArgumentException(
          "statement prefix and batch id must be non-empty (batch id without '/' or '.')");
    }
    int length = prefix.length() + table.toString().length() + batchId.length() + 2
        + (diagnosis ? DIAGNOSIS_SUFFIX.length() : 0);
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException("statement name for " + table + " would be " + length
          + " characters, over the Data API's " + MAX_LENGTH + ": shorten the statement prefix or the names");
    }
  }

  /** The name of a batch's load statement. */
  public StatementName(String prefix, TableKey table, String batchId) {
    this(prefix, table, batchId, false);
  }

  /** The name of the query that diagnoses this batch's load error. */
  public StatementName forDiagnosis() {
    return new StatementName(prefix, table, batchId, true);
  }

  /** Parses a name produced by {@link #toString()}; empty when the name is not one of ours. */
  public static Optional<StatementName> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String[] parts = name.split("/", -1);
    if (parts.length < 5) {
      return Optional.empty();
    }
    int n = parts.length;
    String prefix = String.join("/", java.util.Arrays.copyOfRange(parts, 0, n - 4));
    String last = parts[n - 1];
    boolean diagnosis = last.endsWith(DIAGNOSIS_SUFFIX);
    String batchId = diagnosis ? last.substring(0, last.length() - DIAGNOSIS_SUFFIX.length()) : last;
    try {
      TableKey key = TableKey.parse(parts[n - 4] + '/' + parts[n - 3] + '/' + parts[n - 2]);
      return Optional.of(new StatementName(prefix, key, batchId, diagnosis));
    } catch (IllegalArgumentException notOurs) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return prefix + '/' + table + '/' + batchId + (diagnosis ? DIAGNOSIS_SUFFIX : "");
  }
}
