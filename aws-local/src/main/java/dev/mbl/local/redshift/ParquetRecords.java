package dev.mbl.local.redshift;

import blue.strategic.parquet.Hydrator;
import blue.strategic.parquet.ParquetReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Reads the rows of a Parquet COPY file (through parquet-floor, without Hadoop) as text fields in
 * the order of the loaded columns. As "COPY from columnar data formats" says, file columns map to
 * the loaded columns by position, never by name, and the counts must match (with FILLRECORD a
 * file may lack trailing columns, which load as NULL); a mismatch fails with Redshift Spectrum's
 * "Unmatched number of columns between table and file" error naming both counts and the file. Decimal, date,
 * time and timestamp logical types become text COPY reads back; nested columns and INT96
 * timestamps are not emulated.
 */
final class ParquetRecords {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ParquetRecords() {}

  /** Every row of {@code data}; throws {@link CopyFailedException} when the file cannot be loaded. */
  static List<RawRecord> read(byte[] data, String url, List<TargetColumn> columns, boolean fillRecord,
      String httpsUrl) {
    InputFile file = new BytesInputFile(data);
    List<ColumnDescriptor> fileColumns;
    try {
      fileColumns = ParquetReader.readMetadata(file).getFileMetaData().getSchema().getColumns();
    } catch (IOException | RuntimeException e) {
      throw new CopyFailedException("Invalid Parquet file " + url + ": " + e.getMessage());
    }
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < fileColumns.size(); i++) {
      ColumnDescriptor column = fileColumns.get(i);
      if (column.getPath().length != 1) {
        throw new CopyFailedException("Parquet file " + url + ": the nested column "
            + String.join(".", column.getPath()) + " is not emulated by the local Data API");
      }
      if (column.getPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
        throw new CopyFailedException("Parquet file " + url + ": the INT96 column " + column.getPath()[0]
            + " is not emulated by the local Data API: write timestamps as INT64 TIMESTAMP");
      }
      position.put(column.getPath()[0], i);
    }
    int[] source = mapping(columns.size(), fileColumns.size(), fillRecord, httpsUrl);
    List<RawRecord> records = new ArrayList<>();
    try (Stream<Object[]> rows = ParquetReader.streamContent(file, new RowHydrator(fileColumns.size(), position))) {
      long line = 0;
      for (Object[] row : (Iterable<Object[]>) rows::iterator) {
        line++;
        List<String> fields = new ArrayList<>(columns.size());
        for (int index : source) {
          fields.add(index < 0 ? null : render(row[index], fileColumns.get(index).getPrimitiveType()));
        }
        String raw = Arrays.stream(row).map(String::valueOf).collect(Collectors.joining("|"));
        records.add(new RawRecord(line, raw, fields, null));
      }
    } catch (IOException | RuntimeException e) {
      throw new CopyFailedException("Invalid Parquet file " + url + ": " + e.getMessage());
    }
    return records;
  }

  /**
   * For each loaded column, the file column it reads (-1: NULL by FILLRECORD). AWS documents the
   * rule, not the text; the text is what Redshift Spectrum reports (error code 15007).
   */
  static int[] mapping(int loaded, int inFile, boolean fillRecord, String httpsUrl) {
    if (inFile > loaded || (inFile < loaded && !fillRecord)) {
      throw new CopyFailedException(spectrumError("Unmatched number of columns between table and file. Table columns: "
          + loaded + ", Data columns: " + inFile + ", File name: " + httpsUrl));
    }
    int[] source = new int[loaded];
    for (int i = 0; i < loaded; i++) {
      source[i] = i < inFile ? i : -1;
    }
    return source;
  }

  /** Redshift Spectrum's multi-line error, as COPY of PARQUET reports it. */
  static String spectrumError(String context) {
    return "Spectrum Scan Error\n  DETAIL:\n  -----------------------------------------------\n"
        + "  error:  Spectrum Scan Error\n  code:      15007\n  context:   " + context + "\n"
        + "  -----------------------------------------------\n";
  }

  /** A value as the text COPY would read for it. */
  static String render(Object value, PrimitiveType type) {
    if (value == null) {
      return null;
    }
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal && value instanceof Number n) {
      return BigDecimal.valueOf(n.longValue(), decimal.getScale()).toPlainString();
    }
    if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation && value instanceof Number n) {
      return LocalDate.ofEpochDay(n.longValue()).toString();
    }
    if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts && value instanceof Number n) {
      return TIMESTAMP.format(instant(n.longValue(), ts.getUnit()));
    }
    if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation time && value instanceof Number n) {
      long nanos = switch (time.getUnit()) {
        case MILLIS -> n.longValue() * 1_000_000L;
        case MICROS -> n.longValue() * 1_000L;
        case NANOS -> n.longValue();
      };
      return LocalTime.ofNanoOfDay(nanos).toString();
    }
    return value.toString();
  }

  private static Instant instant(long value, LogicalTypeAnnotation.TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> Instant.ofEpochMilli(value);
      case MICROS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
      case NANOS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
    };
  }

  /** Collects one row's values by column position. */
  private record RowHydrator(int width, Map<String, Integer> position) implements Hydrator<Object[], Object[], String[]> {
    @Override
    public Object[] start() {
      return new Object[width];
    }

    @Override
    public Object[] add(Object[] row, String[] heading, Object value) {
      Integer index = position.get(heading[0]);
      if (index != null) {
        row[index] = value;
      }
      return row;
    }

    @Override
    public Object[] finish(Object[] row) {
      return row;
    }
  }

  /** A Parquet file held in memory. */
  private record BytesInputFile(byte[] data) implements InputFile {
    @Override
    public long getLength() {
      return data.length;
    }

    @Override
    public SeekableInputStream newStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(data);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() {
          return data.length - in.available();
        }

        @Override
        public void seek(long position) {
          in.reset();
          in.skip(position);
        }
      };
    }
  }
}
