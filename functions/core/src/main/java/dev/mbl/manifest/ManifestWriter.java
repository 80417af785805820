package dev.mbl.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.load.TableKey;
import dev.mbl.tracker.WorkItem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes the one COPY manifest of a batch to {@code s3://{bucket}/{prefix}{table key}/{batch id}.manifest}.
 * Every entry is mandatory and carries {@code meta.content_length}, which COPY requires for
 * columnar formats and which lets it skip a HEAD per file. The key is a function of the batch,
 * so a repaired batch rewrites the same manifest.
 */
public final class ManifestWriter {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final ObjectMapper json = new ObjectMapper();

  public ManifestWriter(S3Client s3, String bucket, String prefix) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = prefix == null ? "" : prefix;
  }

  /** The S3 client the manifests are written with. */
  public S3Client s3() {
    return s3;
  }

  /** The manifest's S3 URL for a batch. */
  public String urlOf(TableKey table, String batchId) {
    return "s3://" + bucket + "/" + keyOf(table, batchId);
  }

  /** Writes the manifest and returns its URL. */
  public String write(TableKey table, String batchId, List<WorkItem> files) {
    s3.putObject(p -> p.bucket(bucket).key(keyOf(table, batchId)).contentType("application/json"),
        RequestBody.fromBytes(render(files)));
    return urlOf(table, batchId);
  }

  /** The manifest document, as bytes. */
  public byte[] render(List<WorkItem> files) {
    ObjectNode root = json.createObjectNode();
    ArrayNode entries = root.putArray("entries");
    for (WorkItem file : files) {
      ObjectNode entry = entries.addObject();
      entry.put("url", file.url());
      entry.put("mandatory", true);
      entry.putObject("meta").put("content_length", file.size());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private String keyOf(TableKey table, String batchId) {
    return prefix + table + "/" + batchId + ".manifest";
  }
}
