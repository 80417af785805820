package dev.mbl.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * A Redshift Data API statement status, as DescribeStatement and ListStatements spell it. Status
 * change events only ever carry the terminal ones: FINISHED, FAILED and ABORTED.
 */
public enum StatementState {
  SUBMITTED,
  PICKED,
  STARTED,
  FINISHED,
  FAILED,
  ABORTED,
  /** Not a state a statement is in: ListStatements' filter for "any status". */
  ALL;

  /** True when the statement will not change any more: FINISHED, FAILED or ABORTED. */
  public boolean terminal() {
    return this == FINISHED || this == FAILED || this == ABORTED;
  }

  /** The state spelled exactly as the Data API spells it; empty for null or anything else. */
  public static Optional<StatementState> fromApi(String value) {
    return Arrays.stream(values()).filter(s -> s.name().equals(value)).findFirst();
  }
}
