package dev.mbl.warehouse;

/** What a failed batch means for its files. */
public enum ErrorClass {
  /** Retry the same files later with back-off: isolation conflicts, connections, memory, throttling. */
  TRANSIENT,
  /**
   * A file's content or absence: a COPY load error (diagnosed: Redshift's load-error rows name the
   * files), an error naming the file, or a vanished object (bisected down to the file).
   */
  DATA,
  /**
   * An error that hits every file (permissions, missing table, SQL, a refused COPY option, an
   * IDENTITY or NOT NULL rule, a cancel or timeout): hold every file for the setup pause,
   * quarantine nothing.
   */
  SETUP,
  /**
   * Nothing recognised: a split tests whether a file causes it; when both halves fail the same
   * way, it is the batch's and the files are held (docs/protocol.md, 7b).
   */
  UNKNOWN
}
