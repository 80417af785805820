package dev.mbl.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mbl.config.ConfigParser;
import dev.mbl.config.ConfigRef;
import dev.mbl.config.InvalidConfigException;
import dev.mbl.config.TableConfig;
import dev.mbl.load.PathTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the tables file (infra/tables.json, documented in docs/deploy.md) and validates it
 * whole: every problem is reported at once with its JSON path, and each table config goes
 * through the loader's own {@link ConfigParser}, so a config the loader would reject fails synth
 * (and {@code mbl local up --tables}) with the same message. The CDK app and the local stack read
 * the same file; only the local stack runs a table's {@code ddl} / {@code ddl_file}.
 */
public final class TablesFile {
  /** Where configs are uploaded and read from: the loader's default MBL_CONFIG_PREFIX. */
  public static final String CONFIG_PREFIX = "config/";

  private static final Set<String> ROOT_FIELDS = Set.of("tables", "workgroups", "comment");
  private static final Set<String> TABLE_FIELDS = Set.of("name", "landing", "config", "config_file", "ddl", "ddl_file", "bulk",
      "batch_size", "max_batching_window_seconds", "max_concurrency", "no_load_alarm_hours", "comment");
  private static final Set<String> LANDING_FIELDS = Set.of("bucket", "prefix", "suffix");
  private static final Set<String> BULK_FIELDS = Set.of("schedule", "prefix", "time_zone");

  // Standard SQS queue names; 4 characters are kept for the "-dlq" of the dead-letter queue.
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,76}");
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern WORKGROUP_ARN =
      Pattern.compile("arn:aws(?:-[a-z]+)*:redshift-serverless:[a-z0-9-]+:\\d{12}:workgroup/[A-Za-z0-9-]+");
  private static final Pattern SCHEDULE =
      Pattern.compile("cron\\((\\S+ ){5}\\S+\\)|rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)");
  private static final int NO_LOAD_HOURS_DEFAULT = 24;

  private final ObjectMapper json = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private final ConfigParser parser = ConfigParser.create();
  private final String copyRoleArn;
  private final boolean local;

  private TablesFile(String copyRoleArn, boolean local) {
    this.copyRoleArn = copyRoleArn;
    this.local = local;
  }

  /**
   * Reads and validates {@code file} for the local stack: placeholder COPY roles stay as they are
   * (the local warehouse does not assume roles); everything else is checked as for a deployment.
   *
   * @throws InvalidTablesException listing every problem
   */
  public static Deployment readLocal(Path file) {
    return new TablesFile(null, true).deployment(bytes(file), file.toString(), file.toAbsolutePath().getParent());
  }

  /**
   * Reads and validates {@code file}; {@code config_file} paths resolve against its folder.
   *
   * @throws InvalidTablesException listing every problem
   */
  public static Deployment read(Path file) {
    return read(file, null);
  }

  /**
   * Reads and validates {@code file}, replacing placeholder COPY roles with {@code copyRoleArn}.
   *
   * @param copyRoleArn nullable: a placeholder COPY role is then a problem ({@link PlaceholderRoles})
   * @throws InvalidTablesException listing every problem
   */
  public static Deployment read(Path file, String copyRoleArn) {
    Path folder = file.toAbsolutePath().getParent();
    return parse(bytes(file), file.toString(), folder, copyRoleArn);
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException unreadable) {
      throw new InvalidTablesException(file.toString(), List.of("cannot read the file (" + unreadable
          + "); fix: give the path of a tables file (cdk: -c tables=<path>, default tables.json next to cdk.json;"
          + " local: mbl local up --tables <path>)"));
    }
  }

  /** Parses {@code bytes} as the tables file named {@code name}, resolving config files against {@code folder}. */
  public static Deployment parse(byte[] bytes, String name, Path folder) {
    return parse(bytes, name, folder, null);
  }

  /** As {@link #parse(byte[], String, Path)}, replacing placeholder COPY roles with {@code copyRoleArn} (nullable). */
  public static Deployment parse(byte[] bytes, String name, Path folder, String copyRoleArn) {
    return new TablesFile(copyRoleArn, false).deployment(bytes, name, folder);
  }

  private Deployment deployment(byte[] bytes, String name, Path folder) {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (JsonProcessingException malformed) {
      throw new InvalidTablesException(name, List.of("$: not valid JSON: " + malformed.getOriginalMessage()
          + " at line " + malformed.getLocation().getLineNr() + ", column " + malformed.getLocation().getColumnNr()));
    } catch (IOException unreadable) {
      throw new InvalidTablesException(name, List.of("$: cannot be read: " + unreadable.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidTablesException(name, List.of("$: must be a JSON object with \"tables\""));
    }
    unknownFields(root, "$", ROOT_FIELDS, problems);
    Map<String, String> workgroups = workgroups(root.path("workgroups"), problems);
    List<TableSpec> tables = new ArrayList<>();
    JsonNode list = root.path("tables");
    if (!list.isArray() || list.isEmpty()) {
      problems.add("$.tables: missing or empty; fix: list at least one table as {\"name\", \"landing\", \"config\"}");
    } else {
      for (int i = 0; i < list.size(); i++) {
        TableSpec table = table(list.get(i), "$.tables[" + i + "]", folder, workgroups, problems);
        if (table != null) {
          tables.add(table);
        }
      }
      crossChecks(tables, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidTablesException(name, problems);
    }
    return new Deployment(tables, workgroups);
  }

  private Map<String, String> workgroups(JsonNode node, List<String> problems) {
    Map<String, String> arns = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return arns;
    }
    if (!node.isObject()) {
      problems.add("$.workgroups: must be an object of workgroup name -> workgroup ARN");
      return arns;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String arn = entry.getValue().asText("");
      if (!WORKGROUP_ARN.matcher(arn).matches()) {
        problems.add("$.workgroups." + entry.getKey() + ": '" + arn + "' is not a workgroup ARN; fix: use the value of "
            + "`aws redshift-serverless get-workgroup --workgroup-name " + entry.getKey()
            + " --query workgroup.workgroupArn`");
      } else {
        arns.put(entry.getKey().toLowerCase(Locale.ROOT), arn);
      }
    }
    return arns;
  }

  private TableSpec table(JsonNode node, String path, Path folder, Map<String, String> workgroups,
      List<String> problems) {
    if (!node.isObject()) {
      problems.add(path + ": must be an object with \"name\", \"landing\" and \"config\" or \"config_file\"");
      return null;
    }
    int before = problems.size();
    unknownFields(node, path, TABLE_FIELDS, problems);
    String name = node.path("name").asText(null);
    if (name == null || !QUEUE_NAME.matcher(name).matches()) {
      problems.add(path + ".name: '" + name + "' is not a queue name; fix: 1-76 letters, digits, '-' or '_' "
          + "(it names the SQS queue, its '-dlq' and the config object config/<name>.json)");
    }
    Landing landing = landing(node.path("landing"), path + ".landing", problems);
    String configPath = path + (node.has("config_file") ? ".config_file" : ".config");
    byte[] configBytes = configBytes(node, path, folder, problems);
    if (configBytes != null && !local) {
      String where = node.has("config_file") ? configPath + " (" + node.get("config_file").asText() + ")" : configPath;
      configBytes = PlaceholderRoles.resolve(json, configBytes, where, copyRoleArn, problems);
    }
    Map<String, Object> configJson = null;
    TableConfig config = null;
    if (configBytes != null && name != null) {
      try {
        config = parser.parse(configBytes, ConfigRef.s3("config-bucket", CONFIG_PREFIX + name + ".json"));
        configJson = asMap(configBytes);
      } catch (InvalidConfigException invalid) {
        invalid.problems().forEach(p -> problems.add(configPath + " -> " + p));
      }
    }
    if (config != null && config.target().serverless() && !workgroups.containsKey(config.target().workgroupName())) {
      String workgroup = config.target().workgroupName();
      problems.add(configPath + ": workgroup '" + workgroup + "' has no ARN in $.workgroups; fix: add \"" + workgroup
          + "\": \"arn:aws:redshift-serverless:<region>:<account>:workgroup/<id>\" (the Data API grants are scoped to it)");
    }
    BulkSchedule bulk = bulk(node.path("bulk"), path + ".bulk", landing, problems);
    SourceMapping mapping = mapping(node, path, problems);
    int noLoadHours = whole(node, "no_load_alarm_hours", path, NO_LOAD_HOURS_DEFAULT, 1, 24, problems);
    String ddl = TableDdl.read(node, path, folder, problems);
    if (problems.size() > before || landing == null || config == null) {
      return null;
    }
    return new TableSpec(name, landing, configJson, config, bulk, mapping, noLoadHours, ddl);
  }

  private Landing landing(JsonNode node, String path, List<String> problems) {
    if (!node.isObject()) {
      problems.add(path + ": missing; fix: {\"bucket\": \"<existing bucket>\" or \"create\", \"prefix\": \"orders/\"}");
      return null;
    }
    unknownFields(node, path, LANDING_FIELDS, problems);
    String bucket = node.path("bucket").asText(null);
    String prefix = node.path("prefix").asText("");
    String suffix = node.hasNonNull("suffix") ? node.get("suffix").asText() : null;
    boolean ok = true;
    if (bucket == null || !(Landing.CREATE.equals(bucket) || BUCKET_NAME.matcher(bucket).matches())) {
      problems.add(path + ".bucket: '" + bucket + "' is not a bucket name; fix: the name of an existing bucket "
          + "(no s3://) or \"create\" for a landing bucket owned by the stack");
      ok = false;
    }
    if (prefix.startsWith("/") || prefix.contains("{")) {
      problems.add(path + ".prefix: '" + prefix + "' must be a plain key prefix; fix: e.g. \"orders/\" "
          + "(no leading '/', no date placeholders: notifications match a fixed prefix)");
      ok = false;
    }
    if (suffix != null && suffix.isEmpty()) {
      suffix = null;
    }
    if (!ok) {
      return null;
    }
    boolean create = Landing.CREATE.equals(bucket);
    return new Landing(create ? null : bucket, create, prefix, suffix);
  }

  private byte[] configBytes(JsonNode node, String path, Path folder, List<String> problems) {
    boolean inline = node.has("config");
    boolean file = node.has("config_file");
    if (inline == file) {
      problems.add(path + ": give exactly one of \"config\" (the table config inline) and \"config_file\" "
          + "(a path relative to the tables file)");
      return null;
    }
    if (inline) {
      if (!node.get("config").isObject()) {
        problems.add(path + ".config: must be a table config object (see docs/configuration.md)");
        return null;
      }
      return node.get("config").toString().getBytes(StandardCharsets.UTF_8);
    }
    Path configFile = folder.resolve(node.get("config_file").asText("")).normalize();
    try {
      return Files.readAllBytes(configFile);
    } catch (IOException unreadable) {
      problems.add(path + ".config_file: cannot read " + configFile + " (" + unreadable.getClass().getSimpleName()
          + "); fix: give a path relative to the tables file, e.g. ../config-samples/orders.json");
      return null;
    }
  }

  private BulkSchedule bulk(JsonNode node, String path, Landing landing, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(path + ": must be {\"schedule\", \"prefix\", \"time_zone\"}");
      return null;
    }
    unknownFields(node, path, BULK_FIELDS, problems);
    int before = problems.size();
    String expression = node.path("schedule").asText("");
    if (!SCHEDULE.matcher(expression).matches()) {
      problems.add(path + ".schedule: '" + expression + "' is not a schedule; fix: an EventBridge Scheduler "
          + "expression such as \"cron(30 1 * * ? *)\" (minutes hours day-of-month month day-of-week year)");
    }
    String zone = node.path("time_zone").asText("UTC");
    ZoneId zoneId = null;
    try {
      zoneId = ZoneId.of(zone);
    } catch (RuntimeException bad) {
      problems.add(path + ".time_zone: '" + zone + "' is not a time zone; fix: an IANA name such as UTC or Europe/Berlin");
    }
    String prefix = node.path("prefix").asText(null);
    if (prefix == null || prefix.isBlank()) {
      problems.add(path + ".prefix: missing; fix: a path template such as \"orders/{yesterday:yyyy/MM/dd}/\" "
          + "(relative to the landing bucket) or \"s3://bucket/orders/{yesterday:yyyy/MM/dd}/\"");
    } else {
      try {
        PathTemplate.resolve(prefix, ZonedDateTime.now(zoneId == null ? ZoneId.of("UTC") : zoneId));
      } catch (IllegalArgumentException bad) {
        problems.add(path + ".prefix: " + bad.getMessage());
      }
      if (prefix.startsWith("s3://") && !prefix.substring(5).contains("/")) {
        problems.add(path + ".prefix: '" + prefix + "' has no key part; fix: s3://bucket/key-prefix/");
      }
      if (!prefix.startsWith("s3://") && prefix.startsWith("/")) {
        problems.add(path + ".prefix: '" + prefix + "' starts with '/': S3 keys do not; remove it");
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new BulkSchedule(expression, prefix, zone);
  }

  private SourceMapping mapping(JsonNode node, String path, List<String> problems) {
    int batchSize = whole(node, "batch_size", path, SourceMapping.DEFAULT_BATCH_SIZE, 1, 10_000, problems);
    int window = whole(node, "max_batching_window_seconds", path,
        (int) SourceMapping.DEFAULT_WINDOW.toSeconds(), 0, 300, problems);
    int concurrency = whole(node, "max_concurrency", path, SourceMapping.DEFAULT_MAX_CONCURRENCY, 2, 1000, problems);
    if (batchSize > 10 && window < 1) {
      problems.add(path + ".max_batching_window_seconds: SQS needs a batching window of at least 1 second for "
          + "batch_size " + batchSize + "; fix: raise it or use batch_size 10 or less");
    }
    return new SourceMapping(batchSize, Duration.ofSeconds(window), concurrency);
  }

  private static int whole(JsonNode node, String field, String path, int fallback, int min, int max,
      List<String> problems) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
      problems.add(path + "." + field + ": '" + value + "' must be a whole number from " + min + " to " + max);
      return fallback;
    }
    return value.asInt();
  }

  private static void crossChecks(List<TableSpec> tables, List<String> problems) {
    for (int i = 0; i < tables.size(); i++) {
      for (int j = i + 1; j < tables.size(); j++) {
        TableSpec a = tables.get(i);
        TableSpec b = tables.get(j);
        if (a.name().equals(b.name())) {
          problems.add("$.tables: name '" + a.name() + "' is used twice; fix: one queue (and config) per name");
        } else if (a.landing().overlaps(b.landing())) {
          problems.add("$.tables: '" + a.name() + "' (" + a.landing().describe() + ") and '" + b.name() + "' ("
              + b.landing().describe() + ") overlap; S3 rejects overlapping notifications on one bucket; fix: "
              + "use prefixes that do not start with one another, or distinct suffixes");
        }
      }
    }
  }

  private static void unknownFields(JsonNode node, String path, Set<String> allowed, List<String> problems) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!allowed.contains(field)) {
        problems.add(path + "." + field + ": unknown field; fix: use one of " + new TreeSet<>(allowed));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> asMap(byte[] config) {
    try {
      return json.readValue(config, LinkedHashMap.class);
    } catch (IOException unreachable) {
      // The parser has just read the same bytes.
      throw new IllegalStateException("config JSON could not be re-read", unreachable);
    }
  }
}
