package dev.mbl.cli.soak;

/** The faults the soak injects, each with its own seeded schedule. */
public enum FaultKind {
  /** An S3 notification delivered twice (SQS is at-least-once). */
  DUPLICATE_DELIVERY,
  /** A handler dies right after a tracker or Data API write took effect (timeout, out of memory). */
  CRASH,
  /** A Data API status-change event never reaches NextLoader. */
  LOST_EVENT,
  /** BatchExecuteStatement refused with HTTP 400 ThrottlingException. */
  THROTTLING,
  /** BatchExecuteStatement fails with HTTP 500 before the statement exists. */
  SUBMIT_5XX,
  /** BatchExecuteStatement runs the statement, then the answer is lost (HTTP 500). */
  SUBMIT_UNKNOWN,
  /** The batch transaction fails with Redshift's 1023 serializable isolation violation. */
  SERIALIZABLE_1023,
  /** A file with a row Redshift rejects (invalid digit). */
  BAD_FILE,
  /** An object overwritten right after its first upload (a new eTag). */
  OVERWRITE,
  /** A BulkLoader run over a prefix the microbatch path is loading. */
  BULK_RUN,
  /** Configs rewritten while the handlers' config caches expire. */
  CONFIG_EXPIRY,
  /** A malformed message on a table's queue, bound for its dead-letter queue. */
  POISON
}
