package dev.mbl.local.redshift;

import dev.mbl.local.redshift.CopyCommand.Flag;
import dev.mbl.local.redshift.CopyCommand.Format;
import dev.mbl.local.redshift.CopySources.SourceFile;
import dev.mbl.local.redshift.RowError.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Runs a {@link CopyCommand} on the statement's connection, inside its transaction: reads every
 * source file, converts each record to the target's column types, inserts the good rows and
 * counts the bad ones. Bad rows go to {@code stl_load_errors}; more than MAXERROR of them fail
 * the COPY with Redshift's "Load into table ... failed" text.
 */
final class CopyLoader {
  private static final String TARGET = "SELECT c.oid, c.relname FROM pg_class c WHERE c.oid = to_regclass(?)";

  private final CopySources sources;
  private final LoadErrorLog errorLog;

  CopyLoader(CopySources sources, LoadErrorLog errorLog) {
    this.sources = Objects.requireNonNull(sources, "sources");
    this.errorLog = Objects.requireNonNull(errorLog, "errorLog");
  }

  /** What a COPY did: the rows it inserted and the bytes of input it read, as stored in S3. */
  record Loaded(long rows, long inputBytes) {}

  /**
   * Loads, and returns the rows inserted and the input's size.
   *
   * @param query the query id recorded with load errors
   * @param cancelled checked between records; true ends the COPY with {@link CopyCancelledException}
   * @throws CopyFailedException with Redshift's text when the COPY fails as a whole
   */
  Loaded run(Connection connection, CopyCommand copy, long query, BooleanSupplier cancelled) throws SQLException {
    Instant start = Instant.now();
    long oid;
    String name;
    try (PreparedStatement target = connection.prepareStatement(TARGET)) {
      target.setString(1, copy.table());
      try (ResultSet row = target.executeQuery()) {
        if (!row.next()) {
          throw new CopyFailedException("relation \"" + copy.table().replace("\"", "") + "\" does not exist");
        }
        oid = row.getLong(1);
        name = row.getString(2);
      }
    }
    List<TargetColumn> columns = loadedColumns(copy, TargetColumn.of(connection, oid), name);
    List<SourceFile> files = sources.files(copy.source(), copy.manifest(), copy.format() == Format.PARQUET,
        copy.region());
    List<RowError> errors = new ArrayList<>();
    ValueConverter converter = new ValueConverter(copy);
    long inserted;
    try (RowInserter inserter = new RowInserter(connection, copy.table(), columns, errors::add,
        columns.stream().anyMatch(TargetColumn::alwaysIdentity))) {
      for (SourceFile file : files) {
        Iterator<RawRecord> records = records(file, copy, columns);
        while (records.hasNext() && errors.size() <= copy.maxError()) {
          if (cancelled.getAsBoolean()) {
            throw new CopyCancelledException();
          }
          RawRecord record = records.next();
          Object[] values = values(record, file, columns, copy, converter, errors);
          if (values != null && !copy.has(Flag.NOLOAD)) {
            inserter.add(new RowInserter.Row(values, record, file.url()));
          }
        }
      }
      inserted = inserter.flush();
    }
    if (!errors.isEmpty()) {
      errorLog.record(oid, backendPid(connection), transactionId(connection), query, start, errors);
    }
    if (errors.size() > copy.maxError()) {
      throw new CopyFailedException("Load into table '" + name + "' failed. Check 'stl_load_errors' system table "
          + "for details.");
    }
    return new Loaded(inserted, files.stream().mapToLong(file -> Math.max(0, file.size())).sum());
  }

  /**
   * The columns a COPY loads, in file order, as "Column mapping options" defines them: without a
   * list every column but IDENTITY ones (unless EXPLICIT_IDS); with a list, an IDENTITY column
   * needs EXPLICIT_IDS, EXPLICIT_IDS needs the IDENTITY column, and an omitted NOT NULL column
   * needs a DEFAULT. AWS publishes no error text for the list rules; the texts are Redshift's
   * wording where known ("NOT NULL column without DEFAULT must be included in column list",
   * "cannot set an identity column to a value") and the document's own words otherwise.
   */
  static List<TargetColumn> loadedColumns(CopyCommand copy, List<TargetColumn> all, String table) {
    boolean explicitIds = copy.has(Flag.EXPLICIT_IDS);
    if (copy.columns().isEmpty()) {
      return all.stream().filter(c -> !c.alwaysIdentity() || explicitIds).toList();
    }
    List<TargetColumn> loaded = new ArrayList<>();
    for (String name : copy.columns()) {
      TargetColumn column = all.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
          new CopyFailedException("column \"" + name + "\" of relation \"" + table + "\" does not exist"));
      if (loaded.contains(column)) {
        throw new CopyFailedException("column \"" + name + "\" specified more than once");
      }
      if (column.alwaysIdentity() && !explicitIds) {
        throw new CopyFailedException("cannot set an identity column to a value");
      }
      loaded.add(column);
    }
    for (TargetColumn column : all) {
      if (loaded.contains(column)) {
        continue;
      }
      if (column.alwaysIdentity() && explicitIds) {
        throw new CopyFailedException("EXPLICIT_IDS cannot be specified when the IDENTITY column \"" + column.name()
            + "\" is omitted from the column list");
      }
      if (column.notNull() && !column.hasDefault()) {
        throw new CopyFailedException("NOT NULL column without DEFAULT must be included in column list");
      }
    }
    return loaded;
  }

  private Iterator<RawRecord> records(SourceFile file, CopyCommand copy, List<TargetColumn> columns) {
    byte[] data = sources.read(file, copy.compression());
    return switch (copy.format()) {
      case PARQUET -> ParquetRecords.read(data, file.url(), columns, copy.has(Flag.FILLRECORD),
          sources.httpsUrl(file)).iterator();
      case JSON -> new JsonReader(CopySources.decode(data), columns, copy.ignoreCase());
      case CSV, TEXT -> new DelimitedReader(CopySources.decode(data), copy);
    };
  }

  /** The row's values to insert, or null after adding its (first) error to {@code errors}. */
  private static Object[] values(RawRecord record, SourceFile file, List<TargetColumn> columns, CopyCommand copy,
      ValueConverter converter, List<RowError> errors) {
    if (record.problem() != null) {
      errors.add(error(record, file, null, "", record.problem()));
      return null;
    }
    List<String> fields = record.fields();
    boolean delimited = copy.format() == Format.CSV || copy.format() == Format.TEXT;
    if (delimited && fields.size() > columns.size()) {
      errors.add(error(record, file, null, "", new Problem(1202, "Extra column(s) found")));
      return null;
    }
    if (delimited && fields.size() < columns.size()) {
      if (!copy.has(Flag.FILLRECORD)) {
        errors.add(error(record, file, columns.get(fields.size()), "", new Problem(1214, "Delimiter not found")));
        return null;
      }
      List<String> filled = new ArrayList<>(fields);
      filled.addAll(Collections.nCopies(columns.size() - fields.size(), ""));
      fields = filled;
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      try {
        values[i] = converter.convert(columns.get(i), fields.get(i));
      } catch (Problem problem) {
        errors.add(error(record, file, columns.get(i), fields.get(i), problem));
        return null;
      }
    }
    return values;
  }

  private static RowError error(RawRecord record, SourceFile file, TargetColumn column, String value,
      Problem problem) {
    String length = column == null ? "" : column.maxBytes() >= 0 ? Integer.toString(column.maxBytes())
        : column.precision() >= 0 ? column.precision() + "," + column.scale() : "0";
    return new RowError(file.url(), record.line(), record.raw(), column == null ? "" : column.name(),
        column == null ? "" : column.redshiftType(), length, value == null ? "" : value, problem.code,
        problem.getMessage());
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
      row.next();
      return row.getInt(1);
    }
  }

  private static long transactionId(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT txid_current()")) {
      row.next();
      return row.getLong(1);
    }
  }

  /** A COPY stopped by CancelStatement. */
  static final class CopyCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CopyCancelledException() {
      super("Query cancelled.");
    }
  }
}
