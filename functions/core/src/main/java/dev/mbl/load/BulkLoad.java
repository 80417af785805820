package dev.mbl.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.config.ConfigParser;
import dev.mbl.config.ConfigRef;
import dev.mbl.config.ConfigSource;
import dev.mbl.config.QueueConfigLocator;
import dev.mbl.config.TableConfig;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.util.Parallel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * BulkLoader's work: lists whole prefixes, ledgers what is not already ledgered (or, with
 * {@code force}, also what is already LOADED or QUARANTINED), and starts loads through the same
 * per-table lock as every other load.
 *
 * <p>Two inputs: the seed's {@code {"paths":[{"s3_path","table","options"}],"copy":{...},
 * "cluster":{...}}} (config given inline), and the schedule's {@code {"tables":[{"config":
 * "<queue name or s3:// url>","prefix":"s3://bucket/{yesterday:yyyy/MM/dd}/"}],"time_zone":"UTC"}}.
 * Both accept {@code "force": true}. Paths may hold date placeholders ({@link PathTemplate}).
 */
public final class BulkLoad {
  private static final int LEDGER_THREADS = 8;
  private static final java.util.Set<String> FIELDS =
      java.util.Set.of("paths", "copy", "cluster", "options", "tables", "time_zone", "force");

  private final DynamoDbTracker tracker;
  private final ConfigSource configs;
  private final ConfigParser parser;
  private final S3Client s3;
  private final LoadCoordinator coordinator;
  private final QueueConfigLocator locator;
  private final ObjectMapper json = new ObjectMapper();

  public BulkLoad(DynamoDbTracker tracker, ConfigSource configs, ConfigParser parser, S3Client s3,
      LoadCoordinator coordinator, QueueConfigLocator locator) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.configs = Objects.requireNonNull(configs, "configs");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.locator = Objects.requireNonNull(locator, "locator");
  }

  /** What one path produced. */
  public record PathSummary(String table, String path, int listed, int enqueued, int skipped) {}

  /** The whole run. */
  public record Summary(List<PathSummary> paths, List<LoadEvent> events) {}

  /** One path to load with the config it loads with. */
  private record Job(String path, ConfigRef config) {}

  /**
   * Runs a bulk input.
   *
   * @throws IllegalArgumentException naming the field when the input is not one of the two forms
   */
  public Summary run(byte[] input, Instant now) {
    JsonNode root;
    try {
      root = json.readTree(input);
    } catch (com.fasterxml.jackson.core.JsonProcessingException malformed) {
      throw new IllegalArgumentException("bulk input is not valid JSON: " + malformed.getOriginalMessage());
    } catch (IOException unreadable) {
      throw new IllegalArgumentException("bulk input cannot be read: " + unreadable.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("bulk input must be a JSON object with \"paths\" or \"tables\"");
    }
    for (var names = root.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("bulk input field $." + name + " is not known: give $.paths (seed form, "
            + "with $.copy, $.cluster, $.options) or $.tables (schedule form, with $.time_zone), and $.force");
      }
    }
    if (root.has("force") && !root.get("force").isBoolean()) {
      throw new IllegalArgumentException("$.force must be true or false (got " + root.get("force") + ")");
    }
    boolean force = root.path("force").asBoolean(false);
    ZoneId zone = zone(root.has("time_zone") ? text(root, "time_zone", "$") : "UTC");
    List<Job> jobs = root.has("paths") ? seedJobs(root) : scheduleJobs(root);
    List<PathSummary> summaries = new ArrayList<>();
    List<LoadEvent> events = new ArrayList<>();
    List<TableKey> started = new ArrayList<>();
    for (Job job : jobs) {
      TableConfig config = configs.load(job.config());
      TableKey table = TableKey.of(config);
      String path = PathTemplate.resolve(job.path(), now.atZone(zone));
      tracker.register(table, job.config(), now);
      summaries.add(ledgerPrefix(table, path, job.config(), force, now));
      if (!started.contains(table)) {
        started.add(table);
      }
    }
    for (TableKey table : started) {
      events.addAll(coordinator.start(table, now));
    }
    return new Summary(summaries, events);
  }

  private List<Job> seedJobs(JsonNode root) {
    JsonNode paths = root.path("paths");
    if (!paths.isArray() || paths.isEmpty()) {
      throw new IllegalArgumentException("$.paths must be a non-empty array of {\"s3_path\",\"table\",\"options\"}");
    }
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      JsonNode path = paths.get(i);
      String s3Path = text(path, "s3_path", "$.paths[" + i + "]");
      String table = text(path, "table", "$.paths[" + i + "]");
      ObjectNode config = json.createObjectNode();
      ObjectNode copy = root.path("copy").isObject() ? ((ObjectNode) root.get("copy")).deepCopy()
          : json.createObjectNode();
      copy.put("table_name", table);
      if (path.hasNonNull("options")) {
        copy.put("options", text(path, "options", "$.paths[" + i + "]"));
      }
      config.set("copy", copy);
      config.set("cluster", root.path("cluster").deepCopy());
      if (root.path("options").isObject()) {
        config.set("options", root.get("options").deepCopy());
      }
      byte[] canonical = config.toString().getBytes(StandardCharsets.UTF_8);
      ConfigRef ref = ConfigSource.inlineRef(canonical);
      parser.parse(canonical, ref);
      tracker.save(ref.key(), canonical);
      jobs.add(new Job(s3Path, ref));
    }
    return jobs;
  }

  private List<Job> scheduleJobs(JsonNode root) {
    JsonNode tables = root.path("tables");
    if (!tables.isArray() || tables.isEmpty()) {
      throw new IllegalArgumentException("bulk input needs $.paths (seed form) or $.tables (schedule form: "
          + "[{\"config\":\"<queue name or s3:// url>\",\"prefix\":\"s3://bucket/{yesterday:yyyy/MM/dd}/\"}])");
    }
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      String config = text(tables.get(i), "config", "$.tables[" + i + "]");
      String prefix = text(tables.get(i), "prefix", "$.tables[" + i + "]");
      ConfigRef ref = config.startsWith("s3://") ? new ConfigRef(config)
          : ConfigRef.s3(locator.bucket(), locator.prefix() + config + (config.endsWith(".json") ? "" : ".json"));
      jobs.add(new Job(prefix, ref));
    }
    return jobs;
  }

  private PathSummary ledgerPrefix(TableKey table, String path, ConfigRef ref, boolean force, Instant now) {
    if (!path.startsWith("s3://") || path.indexOf('/', 5) < 0) {
      throw new IllegalArgumentException("path '" + path + "' must look like s3://bucket/prefix/");
    }
    String bucket = path.substring(5, path.indexOf('/', 5));
    String prefix = path.substring(path.indexOf('/', 5) + 1);
    List<S3ObjectRef> objects = new ArrayList<>();
    for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents()) {
      if (!object.key().endsWith("/")) {
        objects.add(new S3ObjectRef(bucket, object.key(), object.size(), object.eTag(), null, null));
      }
    }
    int enqueued = 0;
    for (Parallel.Outcome<Boolean> outcome : Parallel.map(objects, LEDGER_THREADS, "mbl-bulk-ledger",
        object -> tracker.ledger(table, object, ref, now, force))) {
      if (outcome.failed()) {
        throw new IllegalStateException("bulk load of " + path + " could not ledger a file: "
            + outcome.error().getMessage(), outcome.error());
      }
      if (outcome.value()) {
        enqueued++;
      }
    }
    return new PathSummary(table.toString(), path, objects.size(), enqueued, objects.size() - enqueued);
  }

  /** A required string field; anything else (missing, a number, an object) is an error naming it. */
  private static String text(JsonNode parent, String field, String where) {
    JsonNode value = parent.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " must be a non-empty string (got "
          + (value == null ? "nothing" : value.toString()) + ")");
    }
    return value.asText();
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (RuntimeException bad) {
      throw new IllegalArgumentException("$.time_zone '" + id + "' is not a time zone: use e.g. UTC or Europe/Berlin");
    }
  }
}
