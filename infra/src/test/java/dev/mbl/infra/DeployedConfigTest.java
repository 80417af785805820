package dev.mbl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.tables.TableSpec;
import dev.mbl.tables.TablesFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployed config names the table's landing bucket and prefix as its only source. */
class DeployedConfigTest {
  private final List<TableSpec> tables = TablesFile.read(Path.of("src/test/resources/tables/all-auth.json"),
      "arn:aws:iam::123456789012:role/events-copy").tables();

  private TableSpec table(String prefix) {
    return tables.stream().filter(t -> t.landing().prefix().equals(prefix)).findFirst().orElseThrow();
  }

  @Test
  void of_configWithoutSources_getsTheLandingBucketAndPrefix() {
    Map<String, Object> json = DeployedConfig.of(table("clicks/"), "acme-landing");

    assertThat(json.get("options")).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) json.get("options")).get("sources")).isEqualTo(List.of("s3://acme-landing/clicks/"));
    assertThat(json.keySet()).containsAll(table("clicks/").configJson().keySet());
    assertThat(table("clicks/").configJson().toString()).as("the tables file's own map is left as it was")
        .doesNotContain("sources");
  }

  @Test
  void of_createdLandingBucket_usesTheGivenName() {
    Map<String, Object> json = DeployedConfig.of(table("orders/"), "${Token[Landing.Name]}");

    assertThat(((Map<?, ?>) json.get("options")).get("sources")).isEqualTo(List.of("s3://${Token[Landing.Name]}/orders/"));
  }

  @Test
  void of_configWithSources_keepsThem() {
    TableSpec clicks = table("clicks/");
    Map<String, Object> withSources = new java.util.LinkedHashMap<>(clicks.configJson());
    withSources.put("options", Map.of("sources", List.of("s3://elsewhere/x/")));
    TableSpec given = new TableSpec(clicks.name(), clicks.landing(), withSources, clicks.config(),
        clicks.bulkSchedule(), clicks.mapping(), clicks.noLoadAlarmHours(), clicks.ddl());

    assertThat(((Map<?, ?>) DeployedConfig.of(given, "acme-landing").get("options")).get("sources"))
        .isEqualTo(List.of("s3://elsewhere/x/"));
  }
}
