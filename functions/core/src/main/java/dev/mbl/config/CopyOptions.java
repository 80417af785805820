package dev.mbl.config;

import java.util.List;

/**
 * COPY options parsed against an allowlist, as normalised SQL clauses in the order given, for
 * example {@code ["FORMAT AS CSV", "IGNOREHEADER 1", "GZIP"]}. Built only by {@link #parse}.
 */
public record CopyOptions(List<String> clauses) {
  public CopyOptions {
    clauses = List.copyOf(clauses);
  }

  public static final CopyOptions NONE = new CopyOptions(List.of());

  /**
   * Parses a COPY options string such as {@code "FORMAT AS CSV IGNOREHEADER 1 GZIP"}.
   *
   * @throws IllegalArgumentException naming the first option that is not allowed and why
   */
  public static CopyOptions parse(String options) {
    throw new UnsupportedOperationException("CopyOptions.parse is being written");
  }

  /** The clauses joined by spaces, ready to follow {@code COPY ... FROM ... MANIFEST}. */
  public String toSql() {
    return String.join(" ", clauses);
  }
}
