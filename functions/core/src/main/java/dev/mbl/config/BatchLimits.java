package dev.mbl.config;

/**
 * How much one load may take: at most {@code maxFiles} files and, unless the first file alone is
 * larger, at most {@code maxBytes} bytes. Defaults: 1,000 files, 1 GiB.
 */
public record BatchLimits(int maxFiles, long maxBytes) {
  /** Upper bound on files per batch: the batch record keeps every file's key in one item. */
  public static final int MAX_FILES_CEILING = 5_000;
  public static final BatchLimits DEFAULT = new BatchLimits(1_000, 1L << 30);

  public BatchLimits {
    if (maxFiles < 1 || maxFiles > MAX_FILES_CEILING) {
      throw new IllegalArgumentException(
          "max files per batch is " + maxFiles + ": use 1 to " + MAX_FILES_CEILING);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("max bytes per batch is " + maxBytes + ": use a positive number");
    }
  }
}
