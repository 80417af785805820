package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.tables.Deployment;
import dev.mbl.tables.TableSpec;
import dev.mbl.tables.TablesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every table config in config-samples/ is valid, and the bulk sample's configs are too. */
class ConfigSamplesTest {
  private static final Path SAMPLES = findSamples();
  /** The sample tables file (the tables file format, not a table config). */
  private static final String TABLES_FILE = "tables.json";
  private final ConfigParser parser = ConfigParser.create();

  static List<Path> tableConfigs() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .filter(f -> !f.getFileName().toString().startsWith("bulk-"))
          .filter(f -> !f.getFileName().toString().equals(TABLES_FILE))
          .sorted()
          .toList();
    }
  }

  @Test
  void samples_folder_holdsTheDocumentedSamples() throws IOException {
    assertThat(tableConfigs()).extracting(f -> f.getFileName().toString())
        .contains("orders.json", "events-extended.json", "clicks-append.json");
  }

  @ParameterizedTest
  @MethodSource("tableConfigs")
  void parse_tableConfigSample_isValid(Path sample) throws IOException {
    TableConfig config = parser.parse(Files.readAllBytes(sample), ConfigRef.s3("samples", sample.getFileName().toString()));

    assertThat(config.table()).isNotNull();
  }

  @Test
  void readLocal_samplesTablesFile_wiresTheThreeSamplesEachWithItsDdl() {
    Deployment samples = TablesFile.readLocal(SAMPLES.resolve(TABLES_FILE));

    assertThat(samples.tables()).extracting(TableSpec::name).containsExactly("orders", "clicks", "inventory");
    assertThat(samples.tables()).allSatisfy(t -> assertThat(t.targetDdl().orElseThrow())
        .contains("CREATE TABLE IF NOT EXISTS " + t.config().table() + " ("));
  }

  @Test
  void parse_ordersSample_isTheSeedConfig() throws IOException {
    TableConfig sample = parser.parse(Files.readAllBytes(SAMPLES.resolve("orders.json")), ConfigRef.s3("b", "k"));
    TableConfig seed = parser.parse(ConfigParserTest.resource("seed-orders.json"), ConfigRef.s3("b", "k"));

    assertThat(sample).isEqualTo(seed);
  }

  @Test
  void parse_bulkSample_eachPathMakesAValidTableConfig() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode bulk = mapper.readTree(SAMPLES.resolve("bulk-orders.json").toFile());

    assertThat(bulk.get("paths")).isNotEmpty();
    for (JsonNode path : bulk.get("paths")) {
      assertThat(path.get("s3_path").asText()).startsWith("s3://");
      ObjectNode config = mapper.createObjectNode();
      ObjectNode copy = ((ObjectNode) bulk.get("copy").deepCopy()).put("table_name", path.get("table").asText());
      if (path.has("options")) {
        copy.put("options", path.get("options").asText());
      }
      config.set("copy", copy);
      config.set("cluster", bulk.get("cluster"));
      byte[] json = mapper.writeValueAsBytes(config);

      TableConfig parsed = parser.parse(json, ConfigSource.inlineRef(json));

      assertThat(parsed.table().toString()).isEqualTo(path.get("table").asText());
    }
  }

  private static Path findSamples() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("config-samples"))) {
        return dir.resolve("config-samples");
      }
    }
    throw new IllegalStateException("no config-samples folder above " + Path.of("").toAbsolutePath());
  }
}
