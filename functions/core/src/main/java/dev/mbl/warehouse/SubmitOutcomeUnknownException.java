package dev.mbl.warehouse;

/**
 * A submission failed in a way that leaves open whether the statement was accepted (a lost
 * connection, a 5xx). The batch is left to be repaired: found by name or resubmitted with the
 * same client token, which returns the first submission's statement.
 */
public final class SubmitOutcomeUnknownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SubmitOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
