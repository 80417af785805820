package dev.mbl.warehouse;

/** The Data API refused a submission, so nothing runs. {@link #transientRefusal()} tells whether to retry soon. */
public final class StatementRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean transientRefusal;

  public StatementRejectedException(String message, boolean transientRefusal, Throwable cause) {
    super(message, cause);
    this.transientRefusal = transientRefusal;
  }

  public boolean transientRefusal() {
    return transientRefusal;
  }
}
