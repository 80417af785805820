package dev.mbl.local.redshift;

import java.util.Collections;
import java.util.List;

/**
 * One record read from a COPY source file, before conversion.
 *
 * @param line the line where the record starts (1-based)
 * @param raw the record's text as it appears in the file, for stl_load_errors
 * @param fields the fields as text, null for a missing value; for delimited files in file order,
 *     for JSON and Parquet already in the order of the loaded columns
 * @param problem why the record could not be read at all, else null
 */
record RawRecord(long line, String raw, List<String> fields, RowError.Problem problem) {
  RawRecord {
    fields = Collections.unmodifiableList(fields);
  }

  static RawRecord unreadable(long line, String raw, int code, String reason) {
    return new RawRecord(line, raw, List.of(), new RowError.Problem(code, reason));
  }
}
