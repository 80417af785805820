package dev.mbl.local.redshift;

/**
 * A COPY that fails as a whole, with the text Redshift would report (without its
 * {@code ERROR: } prefix): a load error beyond MAXERROR, a missing S3 object, an unreadable file.
 */
final class CopyFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CopyFailedException(String message) {
    super(message);
  }

  CopyFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
