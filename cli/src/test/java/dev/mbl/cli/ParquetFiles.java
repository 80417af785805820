package dev.mbl.cli;

import dev.mbl.cli.demo.ParquetBytes;
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
    return ParquetBytes.write(schema, skus, (sku, out) -> {
      out.write("sku", sku);
      out.write("qty", sku.length());
      if (extraColumn) {
        out.write("extra", 99);
      }
    });
  }
}
