package dev.mbl.cli;

import blue.strategic.parquet.ParquetWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/** Small Parquet files for tests: columns (sku, qty), optionally with a third column Redshift's table lacks. */
final class ParquetFiles {
  private ParquetFiles() {}

  static byte[] skuQty(List<String> skus, boolean extraColumn) {
    var builder = Types.buildMessage()
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("sku")
        .required(PrimitiveTypeName.INT32).named("qty");
    if (extraColumn) {
      builder = builder.required(PrimitiveTypeName.INT32).named("extra");
    }
    MessageType schema = builder.named("sku_qty");
    try {
      File file = Files.createTempFile("mbl-test-", ".parquet").toFile();
      try {
        Files.delete(file.toPath()); // the writer creates it
        try (ParquetWriter<String> writer = ParquetWriter.writeFile(schema, file, (sku, out) -> {
          out.write("sku", sku);
          out.write("qty", sku.length());
          if (extraColumn) {
            out.write("extra", 99);
          }
        })) {
          for (String sku : skus) {
            writer.write(sku);
          }
        }
        return Files.readAllBytes(file.toPath());
      } finally {
        Files.deleteIfExists(file.toPath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
