package dev.mbl.tracker;

/** Where one ledgered file stands. PENDING -> LOADING -> LOADED, or QUARANTINED with a reason. */
public enum FileState {
  PENDING,
  LOADING,
  LOADED,
  QUARANTINED;

  public boolean terminal() {
    return this == LOADED || this == QUARANTINED;
  }
}
