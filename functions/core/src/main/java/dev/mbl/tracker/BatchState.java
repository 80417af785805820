package dev.mbl.tracker;

/** Lifecycle of one batch record; the last four are terminal and kept for history until TTL. */
public enum BatchState {
  CLAIMING,
  SUBMITTING,
  RUNNING,
  LOADED,
  FAILED,
  ROLLED_BACK;

  public boolean terminal() {
    return this == LOADED || this == FAILED || this == ROLLED_BACK;
  }
}
