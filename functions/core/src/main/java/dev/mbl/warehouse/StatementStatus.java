package dev.mbl.warehouse;

import dev.mbl.event.StatementState;
import java.util.Objects;

/**
 * What the Data API says about one statement.
 *
 * @param error Redshift's error text (of the failed sub-statement for a batch); null unless FAILED
 */
public record StatementStatus(String statementId, StatementState state, String error) {
  public StatementStatus {
    Objects.requireNonNull(statementId, "statementId");
    Objects.requireNonNull(state, "state");
  }
}
