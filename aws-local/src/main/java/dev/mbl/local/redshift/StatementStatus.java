package dev.mbl.local.redshift;

import java.util.Arrays;
import java.util.Optional;

/**
 * A statement's status as the Redshift Data API spells it (DescribeStatement, ListStatements and
 * the status change events; botocore's redshift-data model, shape StatusString).
 */
public enum StatementStatus {
  SUBMITTED,
  PICKED,
  STARTED,
  FINISHED,
  FAILED,
  ABORTED,
  /** Not a status a statement is in: ListStatements' filter for "any status". */
  ALL;

  /** True when the statement will not change any more: FINISHED, FAILED or ABORTED. */
  public boolean terminal() {
    return this == FINISHED || this == FAILED || this == ABORTED;
  }

  /** The status spelled exactly as the Data API spells it; empty for null or anything else. */
  public static Optional<StatementStatus> fromApi(String value) {
    return Arrays.stream(values()).filter(s -> s.name().equals(value)).findFirst();
  }
}
