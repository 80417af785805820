package dev.mbl.tracker;

/**
 * What the holder of a table lock is doing. The phase decides how a crashed holder is repaired:
 * CLAIMING and ROLLING_BACK roll back (nothing was submitted), SUBMITTING rolls forward (the
 * statement may exist: look it up by name or resubmit with the same client token), RUNNING asks
 * the Data API how the statement ended, DIAGNOSING (the batch failed with a load error and a
 * query of Redshift's load-error rows runs) submits or checks that query.
 */
public enum LockPhase {
  CLAIMING,
  ROLLING_BACK,
  SUBMITTING,
  RUNNING,
  DIAGNOSING
}
