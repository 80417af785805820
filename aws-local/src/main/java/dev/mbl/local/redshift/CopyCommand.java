package dev.mbl.local.redshift;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed Redshift {@code COPY ... FROM 's3://...'}: what to load, from where, and how to read
 * and convert the data. Built by {@link CopyParser}; the credentials and Redshift tuning options
 * it accepts (IAM_ROLE, REGION, COMPUPDATE, ...) are not kept, since they change nothing here.
 *
 * @param table the target as written in the statement (quoted or not), for {@code to_regclass}
 * @param columns the column list as identifiers, empty for every column
 * @param source the {@code s3://} URL: a manifest or a key prefix
 * @param manifest whether {@code source} is a manifest
 * @param delimiter the field delimiter (CSV and TEXT)
 * @param quote the CSV quote character
 * @param ignoreCase JSON 'auto ignorecase'
 * @param ignoreHeader lines skipped at the start of every file
 * @param timeFormat TIMEFORMAT, null for Redshift's default
 * @param dateFormat DATEFORMAT, null for Redshift's default
 * @param nullAs the text loaded as NULL
 * @param replacement the ACCEPTINVCHARS replacement character, null without ACCEPTINVCHARS
 * @param maxError how many bad rows are skipped before the COPY fails
 * @param region the REGION parameter, null when absent (the data is in the warehouse's region)
 */
record CopyCommand(
    String table, List<String> columns, String source, boolean manifest, Format format, char delimiter,
    char quote, boolean ignoreCase, int ignoreHeader, Compression compression, String timeFormat,
    String dateFormat, String nullAs, Character replacement, int maxError, Set<Flag> flags, String region) {

  enum Format { TEXT, CSV, JSON, PARQUET }

  enum Compression { NONE, GZIP, BZIP2, ZSTD }

  /** COPY options without a value. */
  enum Flag {
    BLANKSASNULL, EMPTYASNULL, TRUNCATECOLUMNS, FILLRECORD, IGNOREBLANKLINES, TRIMBLANKS, ROUNDEC, ACCEPTANYDATE,
    EXPLICIT_IDS, ESCAPE, REMOVEQUOTES, NOLOAD
  }

  CopyCommand {
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(compression, "compression");
    flags = Set.copyOf(flags);
  }

  /** A COPY without REGION. */
  CopyCommand(String table, List<String> columns, String source, boolean manifest, Format format, char delimiter,
      char quote, boolean ignoreCase, int ignoreHeader, Compression compression, String timeFormat,
      String dateFormat, String nullAs, Character replacement, int maxError, Set<Flag> flags) {
    this(table, columns, source, manifest, format, delimiter, quote, ignoreCase, ignoreHeader, compression, timeFormat,
        dateFormat, nullAs, replacement, maxError, flags, null);
  }

  boolean has(Flag flag) {
    return flags.contains(flag);
  }
}
