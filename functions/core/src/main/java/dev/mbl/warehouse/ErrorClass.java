package dev.mbl.warehouse;

/** What a failed batch means for its files. */
public enum ErrorClass {
  /** Retry the same files later with back-off: isolation conflicts, connections, memory, throttling, aborts. */
  TRANSIENT,
  /** A file's content is bad: bisect the batch and quarantine only the file(s) that fail alone. */
  DATA,
  /** The table, permissions or SQL are wrong: keep every file pending and retry after a pause. */
  SETUP
}
