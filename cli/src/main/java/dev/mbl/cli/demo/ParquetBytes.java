package dev.mbl.cli.demo;

import blue.strategic.parquet.Dehydrator;
import blue.strategic.parquet.ParquetWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.parquet.schema.MessageType;

/** Rows written as one Parquet file's bytes (the writer needs a file; a temporary one is used and removed). */
public final class ParquetBytes {
  private ParquetBytes() {}

  public static <T> byte[] write(MessageType schema, List<T> rows, Dehydrator<T> dehydrator) {
    try {
      File file = Files.createTempFile("mbl-parquet-", ".parquet").toFile();
      try {
        Files.delete(file.toPath()); // the writer creates it
        try (ParquetWriter<T> writer = ParquetWriter.writeFile(schema, file, dehydrator)) {
          for (T row : rows) {
            writer.write(row);
          }
        }
        return Files.readAllBytes(file.toPath());
      } finally {
        Files.deleteIfExists(file.toPath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Parquet file of schema " + schema.getName(), e);
    }
  }
}
