package dev.mbl.event;

/**
 * An event that cannot be read: not JSON, JSON of a shape this loader does not know, or a known
 * shape missing a field it needs. Retrying the same message will not help, so callers send it to
 * the dead-letter queue (or fail the invocation) instead of retrying it.
 *
 * <p>The message says what is wrong and where (for example "record 2 of the S3 notification has no
 * s3.object.key"). It never contains the payload: at most an excerpt of 80 characters. No cause
 * is attached, because a JSON parser's exception may quote the input.
 */
public final class MalformedEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and where; must not contain the payload */
  public MalformedEventException(String message) {
    super(message);
  }
}
