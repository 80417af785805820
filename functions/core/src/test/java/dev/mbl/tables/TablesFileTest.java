package dev.mbl.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesFileTest {
  private static final String ORDERS_CONFIG = """
      {"copy": {"options": "FORMAT AS CSV IGNOREHEADER 1", "role_arn": "arn:aws:iam::210987654321:role/redshift-copy",
                "table_name": "public.orders"},
       "cluster": {"identifier": "Analytics", "db_name": "dev"},
       "options": {"merge_duplicate_pks": true, "merge_pk": "order_id", "merge_timestamp": "updated_at"}}""";

  @TempDir
  Path folder;

  private static Deployment parse(String json, Path folder) {
    return TablesFile.parse(json.getBytes(StandardCharsets.UTF_8), "tables.json", folder);
  }

  private static String table(String name, String landing, String extra) {
    return "{\"name\": \"" + name + "\", \"landing\": " + landing + ", \"config\": " + ORDERS_CONFIG + extra + "}";
  }

  @Test
  void parse_inlineConfig_parsesWithTheLoadersParserAndAppliesDefaults() {
    Deployment deployment = parse("{\"tables\": [" + table("orders", "{\"bucket\": \"create\", \"prefix\": \"orders/\"}", "")
        + "]}", folder);

    TableSpec orders = deployment.tables().get(0);
    assertThat(orders.name()).isEqualTo("orders");
    assertThat(orders.tableKey()).isEqualTo("analytics/dev/public.orders");
    assertThat(orders.configFileName()).isEqualTo("orders.json");
    assertThat(orders.landing()).isEqualTo(new Landing(null, true, "orders/", null));
    assertThat(orders.mapping()).isEqualTo(SourceMapping.defaults());
    assertThat(orders.noLoadAlarmHours()).isEqualTo(24);
    assertThat(orders.bulk()).isEmpty();
    assertThat(orders.configJson()).containsOnlyKeys("copy", "cluster", "options");
    assertThat(deployment.statementPrefixes()).containsExactly("mbl");
    assertThat(deployment.createsLandingBucket()).isTrue();
  }

  @Test
  void parse_configFile_resolvesAgainstTheTablesFileFolder() throws Exception {
    Files.writeString(folder.resolve("orders.json"), ORDERS_CONFIG);
    Deployment deployment = parse("{\"tables\": [{\"name\": \"orders\", \"landing\": {\"bucket\": \"acme-landing\", "
        + "\"prefix\": \"orders/\"}, \"config_file\": \"orders.json\", \"batch_size\": 500, "
        + "\"max_batching_window_seconds\": 20, \"max_concurrency\": 10, \"no_load_alarm_hours\": 3, "
        + "\"bulk\": {\"schedule\": \"cron(30 1 * * ? *)\", \"prefix\": \"orders/{yesterday:yyyy/MM/dd}/\", "
        + "\"time_zone\": \"Europe/Berlin\"}}]}", folder);

    TableSpec orders = deployment.tables().get(0);
    assertThat(orders.landing().bucket()).isEqualTo("acme-landing");
    assertThat(orders.mapping()).isEqualTo(new SourceMapping(500, Duration.ofSeconds(20), 10));
    assertThat(orders.noLoadAlarmHours()).isEqualTo(3);
    assertThat(orders.bulk()).contains(new BulkSchedule("cron(30 1 * * ? *)", "orders/{yesterday:yyyy/MM/dd}/",
        "Europe/Berlin"));
    assertThat(deployment.createsLandingBucket()).isFalse();
  }

  @Test
  void parse_placeholderCopyRoleInAChain_isReplacedWholeByTheGivenRole() {
    String chain = ORDERS_CONFIG.replace("arn:aws:iam::210987654321:role/redshift-copy",
        "arn:aws:iam::111122223333:role/chain, arn:aws:iam::210987654321:role/reader");
    String json = "{\"tables\": [{\"name\": \"orders\", \"landing\": {\"bucket\": \"create\"}, \"config\": "
        + chain + "}]}";

    assertThatThrownBy(() -> parse(json, folder)).isInstanceOf(InvalidTablesException.class)
        .hasMessageContaining("$.tables[0].config -> $.copy.role_arn: 'arn:aws:iam::111122223333:role/chain, "
            + "arn:aws:iam::210987654321:role/reader' is a placeholder");
    Deployment deployment = TablesFile.parse(json.getBytes(StandardCharsets.UTF_8), "tables.json", folder,
        "arn:aws:iam::210987654321:role/copy");
    assertThat(deployment.tables().get(0).config().iamRole()).isEqualTo("arn:aws:iam::210987654321:role/copy");
    assertThat(deployment.tables().get(0).configJson().get("copy").toString())
        .contains("role_arn=arn:aws:iam::210987654321:role/copy");
  }

  @Test
  void parse_badTableConfig_failsWithTheParsersProblemsUnderTheTablePath() {
    String bad = "{\"tables\": [{\"name\": \"orders\", \"landing\": {\"bucket\": \"create\", \"prefix\": \"o/\"}, "
        + "\"config\": {\"copy\": {\"role_arn\": \"arn:aws:iam::210987654321:role/r\", \"table_name\": \"public.or;ders\"},"
        + " \"cluster\": {\"identifier\": \"analytics\", \"db_name\": \"dev\"}, \"options\": {\"merge_pks\": \"id\"}}}]}";

    assertThatThrownBy(() -> parse(bad, folder))
        .isInstanceOf(InvalidTablesException.class)
        .hasMessageStartingWith("tables file tables.json is invalid (2 problems)")
        .hasMessageContaining("$.tables[0].config -> $.copy.table_name: 'public.or;ders' is not a valid identifier")
        .hasMessageContaining("$.tables[0].config -> $.options.merge_pks: unknown field 'merge_pks'; fix: did you mean 'merge_pk'?");
  }

  @Test
  void parse_everyProblem_isReportedAtOnce() {
    String bad = "{\"tabels\": 1, \"tables\": ["
        + "{\"name\": \"bad name!\", \"landing\": {\"bucket\": \"s3://nope\", \"prefix\": \"/x\"}, \"config\": "
        + ORDERS_CONFIG + ", \"batch_size\": 50, \"max_batching_window_seconds\": 0, \"max_concurrency\": 1, "
        + "\"bulk\": {\"schedule\": \"daily\", \"prefix\": \"x/{tomorrow:yyyy}/\", \"time_zone\": \"Mars/Olympus\"}},"
        + table("a", "{\"bucket\": \"create\", \"prefix\": \"data/\"}", "") + ","
        + table("b", "{\"bucket\": \"create\", \"prefix\": \"data/b/\"}", "") + ","
        + table("a", "{\"bucket\": \"create\", \"prefix\": \"other/\"}", "") + "]}";

    assertThatThrownBy(() -> parse(bad, folder))
        .isInstanceOfSatisfying(InvalidTablesException.class, e -> assertThat(e.problems()).hasSize(11))
        .hasMessageContaining("$.tabels: unknown field")
        .hasMessageContaining("$.tables[0].name: 'bad name!' is not a queue name")
        .hasMessageContaining("$.tables[0].landing.bucket: 's3://nope' is not a bucket name")
        .hasMessageContaining("$.tables[0].landing.prefix: '/x' must be a plain key prefix")
        .hasMessageContaining("$.tables[0].bulk.schedule: 'daily' is not a schedule")
        .hasMessageContaining("$.tables[0].bulk.time_zone: 'Mars/Olympus' is not a time zone")
        .hasMessageContaining("$.tables[0].bulk.prefix: path 'x/{tomorrow:yyyy}/' has a placeholder mbl does not know")
        .hasMessageContaining("$.tables[0].max_concurrency: '1' must be a whole number from 2 to 1000")
        .hasMessageContaining("$.tables[0].max_batching_window_seconds: SQS needs a batching window")
        .hasMessageContaining("'a' ((created landing bucket)/data/) and 'b' ((created landing bucket)/data/b/) overlap")
        .hasMessageContaining("$.tables: name 'a' is used twice");
  }

  @Test
  void parse_workgroupWithoutArn_asksForTheArn() {
    String serverless = "{\"tables\": [{\"name\": \"events\", \"landing\": {\"bucket\": \"create\", \"prefix\": \"e/\"}, "
        + "\"config\": {\"copy\": {\"role_arn\": \"default\", \"table_name\": \"events\"}, "
        + "\"cluster\": {\"workgroup_name\": \"etl-wg\", \"db_name\": \"dev\"}}}]}";

    assertThatThrownBy(() -> parse(serverless, folder))
        .hasMessageContaining("$.tables[0].config: workgroup 'etl-wg' has no ARN in $.workgroups; fix: add \"etl-wg\"");
    Deployment withArn = parse(serverless.replace("{\"tables\"",
        "{\"workgroups\": {\"ETL-WG\": \"arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/abc-123\"}, \"tables\""),
        folder);
    assertThat(withArn.workgroupArns()).containsEntry("etl-wg", "arn:aws:redshift-serverless:eu-west-1:123456789012:workgroup/abc-123");
  }

  @Test
  void parse_missingConfigFileOrBoth_saysWhichToGive() {
    assertThatThrownBy(() -> parse("{\"tables\": [{\"name\": \"t\", \"landing\": {\"bucket\": \"create\"}, "
        + "\"config_file\": \"nope.json\"}]}", folder))
        .hasMessageContaining("$.tables[0].config_file: cannot read").hasMessageContaining("nope.json");
    assertThatThrownBy(() -> parse("{\"tables\": [{\"name\": \"t\", \"landing\": {\"bucket\": \"create\"}}]}", folder))
        .hasMessageContaining("give exactly one of \"config\"");
  }

  @Test
  void parse_malformedJsonOrNoTables_failsWithLocation() {
    assertThatThrownBy(() -> parse("{\"tables\": [", folder)).hasMessageContaining("$: not valid JSON")
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> parse("{\"tables\": []}", folder)).hasMessageContaining("$.tables: missing or empty");
    assertThatThrownBy(() -> parse("{\"tables\": [], \"tables\": []}", folder)).hasMessageContaining("Duplicate field");
  }

  @Test
  void read_missingFile_saysHowToPassOne() {
    assertThatThrownBy(() -> TablesFile.read(folder.resolve("absent.json")))
        .hasMessageContaining("cannot read the file").hasMessageContaining("-c tables=<path>")
        .hasMessageContaining("mbl local up --tables");
  }

  @Test
  void landing_overlaps_onlyOnTheSameBucketWithOverlappingPrefixAndSuffix() {
    Landing csv = new Landing("b", false, "data/", ".csv");
    assertThat(csv.overlaps(new Landing("b", false, "data/x/", ".csv"))).isTrue();
    assertThat(csv.overlaps(new Landing("b", false, "data/", ".json"))).isFalse();
    assertThat(csv.overlaps(new Landing("c", false, "data/", ".csv"))).isFalse();
    assertThat(csv.overlaps(new Landing(null, true, "data/", ".csv"))).isFalse();
    assertThat(new Landing("b", false, "", null).overlaps(new Landing("b", false, "x/", ".gz"))).isTrue();
  }

  @Test
  void bulkSchedule_splitsAbsolutePrefixesIntoBucketAndListablePrefix() {
    BulkSchedule absolute = new BulkSchedule("cron(0 2 * * ? *)", "s3://archive/events/{yesterday:yyyy/MM/dd}/", "UTC");
    assertThat(absolute.absolute()).isTrue();
    assertThat(absolute.bucket()).isEqualTo("archive");
    assertThat(absolute.staticKeyPrefix()).isEqualTo("events/");
    BulkSchedule relative = new BulkSchedule("cron(0 2 * * ? *)", "orders/{yesterday:yyyy/MM/dd}/", "UTC");
    assertThat(relative.absolute()).isFalse();
    assertThat(relative.staticKeyPrefix()).isEqualTo("orders/");
  }
}
