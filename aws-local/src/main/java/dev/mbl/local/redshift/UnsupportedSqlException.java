package dev.mbl.local.redshift;

/**
 * SQL the emulator cannot run the way Redshift would: the message names the construct and,
 * where there is one, what to write instead. The statement fails with this text.
 */
final class UnsupportedSqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnsupportedSqlException(String message) {
    super(message);
  }
}
