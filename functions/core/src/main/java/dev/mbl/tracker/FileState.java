package dev.mbl.tracker;

/**
 * Where one ledgered file stands. PENDING -> LOADING -> LOADED, or QUARANTINED with a reason, or
 * (from PENDING) SUPERSEDED: the object was overwritten by another version before this one could
 * be loaded (docs/protocol.md, section 6a).
 */
public enum FileState {
  PENDING,
  LOADING,
  LOADED,
  QUARANTINED,
  SUPERSEDED;

  public boolean terminal() {
    return this == LOADED || this == QUARANTINED || this == SUPERSEDED;
  }
}
