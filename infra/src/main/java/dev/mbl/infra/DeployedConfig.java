package dev.mbl.infra;

import dev.mbl.tables.TableSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config object a table gets under {@code config/}: the tables file's config, plus
 * {@code options.sources} from its landing bucket and prefix when the config sets none, so that
 * MicrobatchLoader refuses files from anywhere else (docs/configuration.md).
 */
final class DeployedConfig {
  static final String OPTIONS = "options";
  static final String SOURCES = "sources";

  private DeployedConfig() {}

  /**
   * @param landingBucketName the landing bucket's name (a deploy-time token for the bucket the stack creates)
   */
  static Map<String, Object> of(TableSpec table, String landingBucketName) {
    Map<String, Object> json = new LinkedHashMap<>(table.configJson());
    Object given = json.get(OPTIONS);
    @SuppressWarnings("unchecked")
    Map<String, Object> options = given instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map)
        : new LinkedHashMap<>();
    if (!options.containsKey(SOURCES)) {
      options.put(SOURCES, List.of("s3://" + landingBucketName + "/" + table.landing().prefix()));
    }
    json.put(OPTIONS, options);
    return json;
  }
}
