package dev.mbl.warehouse;

/** The target table is missing or invisible to the database user; files stay pending until it exists. */
public final class TableNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TableNotFoundException(String message) {
    super(message);
  }
}
