package dev.mbl.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.config.ConfigRef;
import dev.mbl.load.TableKey;
import dev.mbl.sql.TableName;
import dev.mbl.tracker.WorkItem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class ManifestWriterTest {
  private static final TableKey TABLE = new TableKey("analytics", "dev", TableName.of("sales", "orders"));
  private static final ConfigRef CONFIG = ConfigRef.s3("mbl-config", "config/orders.json");
  private final ManifestWriter writer = new ManifestWriter(mock(S3Client.class), "mbl-config", "manifests/");

  @Test
  void render_twoFiles_oneMandatoryEntryEachWithContentLength() throws Exception {
    List<WorkItem> files = List.of(
        work("landing", "orders/2024/05/01/part-0001.parquet", 1_234_567L),
        work("landing", "orders/2024/05/01/part 0002 é.parquet", 0L));

    JsonNode manifest = new ObjectMapper().readTree(writer.render(files));

    assertThat(manifest.size()).isEqualTo(1);
    JsonNode entries = manifest.get("entries");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).get("url").asText()).isEqualTo("s3://landing/orders/2024/05/01/part-0001.parquet");
    assertThat(entries.get(0).get("mandatory").isBoolean()).isTrue();
    assertThat(entries.get(0).get("mandatory").booleanValue()).isTrue();
    assertThat(entries.get(0).get("meta").get("content_length").isIntegralNumber()).isTrue();
    assertThat(entries.get(0).get("meta").get("content_length").longValue()).isEqualTo(1_234_567L);
    assertThat(entries.get(1).get("url").asText()).isEqualTo("s3://landing/orders/2024/05/01/part 0002 é.parquet");
    assertThat(entries.get(1).get("meta").get("content_length").longValue()).isZero();
  }

  @Test
  void render_noFiles_emptyEntries() {
    assertThat(new String(writer.render(List.of()), StandardCharsets.UTF_8)).isEqualTo("{\"entries\":[]}");
  }

  @Test
  void render_oneFile_exactJson() {
    assertThat(new String(writer.render(List.of(work("b", "k.csv", 7))), StandardCharsets.UTF_8))
        .isEqualTo("{\"entries\":[{\"url\":\"s3://b/k.csv\",\"mandatory\":true,\"meta\":{\"content_length\":7}}]}");
  }

  @Test
  void urlOf_tableAndBatch_prefixTableKeyBatchManifest() {
    assertThat(writer.urlOf(TABLE, "01HZX3K7M2Q4R6T8V0W2Y4A6C8"))
        .isEqualTo("s3://mbl-config/manifests/analytics/dev/sales.orders/01HZX3K7M2Q4R6T8V0W2Y4A6C8.manifest");
  }

  @Test
  void urlOf_nullPrefix_tableKeyAtBucketRoot() {
    ManifestWriter noPrefix = new ManifestWriter(mock(S3Client.class), "mbl-manifests", null);

    assertThat(noPrefix.urlOf(TABLE, "B1")).isEqualTo("s3://mbl-manifests/analytics/dev/sales.orders/B1.manifest");
  }

  private static WorkItem work(String bucket, String key, long size) {
    return new WorkItem("WORK#0000000000001#" + key.hashCode(), "f" + key.hashCode(), bucket, key, size, CONFIG,
        "B1", 0, 0, null);
  }
}
