package dev.mbl.sql;

import dev.mbl.config.TableConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link BatchSqlBuilder} needs to write the SQL of one batch. No field is null.
 *
 * @param config the target table's config
 * @param columns the target's columns in table order, as the warehouse describes them
 * @param manifestUrl the batch's COPY manifest, {@code s3://bucket/key}
 * @param batchId the batch id, 1 to 64 ASCII letters and digits (a ULID such as
 *     {@code 01JD3X9Q8R2V4W6Y8Z0A1B2C3D}); it names the staging tables and the history row
 * @param fileCount how many files the manifest lists, at least 1
 * @param now when the batch SQL was built; recorded in the history table as {@code loaded_at}
 */
public record BatchRequest(
    TableConfig config, List<Column> columns, String manifestUrl, String batchId, int fileCount, Instant now) {

  private static final Pattern BATCH_ID = Pattern.compile("[0-9A-Za-z]{1,64}");
  /** The width of the history table's {@code manifest} column, in bytes. */
  static final int MAX_MANIFEST_URL_BYTES = 1024;

  /** @throws SqlBuildException naming the table and the bad field when a value is not usable */
  public BatchRequest {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(manifestUrl, "manifestUrl");
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(now, "now");
    columns = List.copyOf(columns);
    if (!BATCH_ID.matcher(batchId).matches()) {
      throw new SqlBuildException("table " + config.table() + ": batch id '" + Identifier.printable(batchId)
          + "' is not allowed: use 1 to 64 ASCII letters and digits, such as a ULID");
    }
    if (!manifestUrl.startsWith("s3://") || manifestUrl.length() <= "s3://".length()) {
      throw new SqlBuildException("table " + config.table() + ", batch " + batchId
          + ": manifest URL must be s3://bucket/key");
    }
    if (manifestUrl.getBytes(StandardCharsets.UTF_8).length > MAX_MANIFEST_URL_BYTES) {
      throw new SqlBuildException("table " + config.table() + ", batch " + batchId + ": manifest URL is longer than "
          + MAX_MANIFEST_URL_BYTES + " bytes: write manifests under a shorter prefix");
    }
    if (fileCount < 1) {
      throw new SqlBuildException("table " + config.table() + ", batch " + batchId + ": file count is "
          + fileCount + ": a batch lists at least one file");
    }
  }
}
