package dev.mbl.tracker;

/** Lifecycle of one batch record; the last three are terminal and kept for history until TTL. */
public enum BatchState {
  CLAIMING,
  SUBMITTING,
  RUNNING,
  /** Failed with a load error; the query naming the failed files runs. */
  DIAGNOSING,
  LOADED,
  FAILED,
  ROLLED_BACK;

  public boolean terminal() {
    return this == LOADED || this == FAILED || this == ROLLED_BACK;
  }
}
