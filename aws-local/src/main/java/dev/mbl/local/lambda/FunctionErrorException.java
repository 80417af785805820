package dev.mbl.local.lambda;

/** A local function's handler threw: Lambda's "function error". The cause is what it threw. */
public final class FunctionErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FunctionErrorException(String message, Throwable cause) {
    super(message, cause);
  }
}
