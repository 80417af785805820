package dev.mbl.config;

/** How staged rows reach the target table. */
public enum LoadMode {
  /** Every staged row is inserted. */
  APPEND,
  /** Per merge key, the latest row (by the merge timestamp) wins across staged and existing rows. */
  MERGE
}
