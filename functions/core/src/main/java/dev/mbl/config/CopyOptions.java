package dev.mbl.config;

import java.util.List;
import java.util.Optional;

/**
 * COPY options parsed against an allowlist, as normalised SQL clauses in the order given, for
 * example {@code ["FORMAT AS CSV", "IGNOREHEADER 1", "GZIP"]}. Built only by {@link #parse}.
 */
public record CopyOptions(List<String> clauses) {
  public CopyOptions {
    clauses = List.copyOf(clauses);
  }

  public static final CopyOptions NONE = new CopyOptions(List.of());

  /** The format {@link #format()} reports when no FORMAT clause is given: pipe-delimited text. */
  public static final String TEXT = "TEXT";
  private static final String FORMAT_CLAUSE = "FORMAT AS ";

  /**
   * Parses a COPY options string such as {@code "format as csv ignoreheader 1 gzip"} against the
   * allowlist in {@code docs/configuration.md}; keywords become upper case, a bare format gets
   * {@code FORMAT AS}, an optional {@code AS} is dropped (kept in {@code QUOTE AS},
   * {@code NULL AS} and {@code ACCEPTINVCHARS AS}) and values are re-quoted. Null or blank gives
   * {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the first option that is not allowed, why, and (after
   *     "; fix: ") how to fix it; quoted values are never echoed
   */
  public static CopyOptions parse(String options) {
    if (options == null || options.isBlank()) {
      return NONE;
    }
    return new CopyOptions(CopyOptionsParser.parse(options));
  }

  /** The data format: {@code CSV}, {@code JSON}, {@code PARQUET}, {@code ORC}, or {@link #TEXT}. */
  public String format() {
    for (String clause : clauses) {
      if (clause.startsWith(FORMAT_CLAUSE)) {
        String rest = clause.substring(FORMAT_CLAUSE.length());
        int end = rest.indexOf(' ');
        return end < 0 ? rest : rest.substring(0, end);
      }
    }
    return TEXT;
  }

  /** Whether the files are PARQUET or ORC, which COPY maps to the table's columns by position. */
  public boolean columnar() {
    String format = format();
    return format.equals("PARQUET") || format.equals("ORC");
  }

  /** Whether a clause starts with {@code keyword}, such as {@code EXPLICIT_IDS} or {@code REGION}. */
  public boolean has(String keyword) {
    return clauses.stream().anyMatch(c -> c.equals(keyword) || c.startsWith(keyword + " "));
  }

  /** The region a {@code REGION} clause names, lower case. */
  public Optional<String> region() {
    return clauses.stream().filter(c -> c.startsWith("REGION '"))
        .map(c -> c.substring("REGION '".length(), c.length() - 1)).findFirst();
  }

  /** The clauses joined by spaces, ready to follow {@code COPY ... FROM ... MANIFEST}. */
  public String toSql() {
    return String.join(" ", clauses);
  }
}
