package dev.mbl.tables;

import dev.mbl.config.TableConfig;
import dev.mbl.load.TableKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One target table of the deployment: its queue, where its files land, its config (as uploaded
 * and as parsed by the loader's own parser) and its optional previous-day bulk schedule.
 *
 * @param name the queue name; the config is uploaded to {@code config/{name}.json}
 * @param landing where the files land
 * @param configJson the config exactly as it is uploaded (insertion-ordered JSON object)
 * @param config the parsed, validated config
 * @param bulkSchedule the recurring bulk load; null when there is none
 * @param mapping the SQS event source mapping's batching
 * @param noLoadAlarmHours the window of the table's NoLoad alarm: batches started but none loaded in each half
 * @param ddl the SQL that creates the target table in a local warehouse ({@code ddl} or {@code ddl_file});
 *     null when none is given. Only {@code mbl local} runs it: a deployment never changes the warehouse.
 */
public record TableSpec(String name, Landing landing, Map<String, Object> configJson, TableConfig config,
    BulkSchedule bulkSchedule, SourceMapping mapping, int noLoadAlarmHours, String ddl) {

  /** Dead-letter queues are named {@code {name}-dlq}. */
  public static final String DLQ_SUFFIX = "-dlq";

  public TableSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(landing, "landing");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(mapping, "mapping");
    // Insertion order kept: the uploaded object reads like the file it came from.
    configJson = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(configJson, "configJson")));
  }

  /** The table key the loader logs and locks on: {@code {cluster or workgroup}/{database}/{schema.table}}. */
  public String tableKey() {
    return TableKey.of(config).toString();
  }

  public Optional<String> targetDdl() {
    return Optional.ofNullable(ddl);
  }

  public Optional<BulkSchedule> bulk() {
    return Optional.ofNullable(bulkSchedule);
  }

  /** The config's object key under the config prefix. */
  public String configFileName() {
    return name + ".json";
  }
}
