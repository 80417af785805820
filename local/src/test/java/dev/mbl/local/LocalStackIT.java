package dev.mbl.local;

import static dev.mbl.local.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.local.sqs.QueueDepth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class LocalStackIT {
  private static final String CONFIG = """
      {"copy": {"table_name": "public.clicks", "role_arn": "arn:aws:iam::123456789012:role/redshift-copy",
                "options": "FORMAT AS CSV IGNOREHEADER 1"},
       "cluster": {"identifier": "analytics", "db_name": "dev"},
       "options": {"merge_duplicate_pks": false}}
      """;
  private static final ByteArrayOutputStream OUT = new ByteArrayOutputStream();
  private static LocalStack stack;

  @BeforeAll
  static void start() {
    stack = LocalStack.builder().pollWait(Duration.ofSeconds(1)).reconcileEvery(Duration.ZERO)
        .out(new PrintStream(OUT, true, StandardCharsets.UTF_8)).start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void start_defaults_everyEndpointAnswersAndStartupTimeIsMeasuredAndPrinted() throws Exception {
    Endpoints endpoints = stack.endpoints();

    assertThat(List.of(endpoints.s3(), endpoints.sqs(), endpoints.dynamoDb(), endpoints.redshiftData()))
        .allSatisfy(uri -> assertThat(uri.getHost()).isEqualTo("127.0.0.1"));
    assertThat(stack.s3().listBuckets().buckets()).extracting(b -> b.name()).contains("mbl-config");
    assertThat(stack.dynamo().describeTable(d -> d.tableName("mbl-tracker")).table().tableName())
        .isEqualTo("mbl-tracker");
    assertThat(stack.redshiftData().listStatements(l -> l.maxResults(1)).statements()).isEmpty();
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        ResultSet one = connection.createStatement().executeQuery("select 1")) {
      assertThat(one.next()).isTrue();
    }
    assertThat(stack.settings().configBucket()).isEqualTo("mbl-config");

    Matcher printed = Pattern.compile("\"action\":\"started\",\"startup_ms\":(\\d+)")
        .matcher(OUT.toString(StandardCharsets.UTF_8));
    assertThat(printed.find()).as("start-up line in %s", OUT).isTrue();
    assertThat(stack.startupTime()).isPositive();
    assertThat(Long.parseLong(printed.group(1))).isEqualTo(stack.startupTime().toMillis());
  }

  @Test
  void addTable_fileLands_notificationReachesMicrobatchLoaderWhichLedgersIt() {
    LocalTable table = stack.addTable("clicks", CONFIG.getBytes(StandardCharsets.UTF_8), "landing", "clicks/");

    assertThat(table.queue().arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:clicks");
    assertThat(table.queue().maxReceiveCount()).isEqualTo(5);
    assertThat(stack.s3().getObjectAsBytes(g -> g.bucket("mbl-config").key("config/clicks.json")).asUtf8String())
        .isEqualTo(CONFIG);
    stack.s3().putObject(p -> p.bucket("landing").key("clicks/2024/01/a b.csv"),
        RequestBody.fromString("id,url\n1,/home\n"));

    // The s3:TestEvent and the file's notification are both consumed and deleted.
    await(Duration.ofSeconds(20), () -> stack.microbatchLoader().invocations() >= 2
        && depth(table.queue().url()).total() == 0);
    assertThat(depth(table.queue().deadLetterQueue().url()).total()).isZero();
    assertThat(stack.dynamo().scan(s -> s.tableName("mbl-tracker")).items()).isNotEmpty();
  }

  @Test
  void addTable_csvLands_rowsLoadedAndCompletionEventReachesNextLoader() throws Exception {
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection()) {
      connection.createStatement().execute("create table public.visits (id int, url varchar(100))");
    }
    String config = CONFIG.replace("public.clicks", "public.visits");
    stack.addTable("visits", config.getBytes(StandardCharsets.UTF_8), "landing", "visits/");
    long delivered = stack.events().delivered();

    stack.s3().putObject(p -> p.bucket("landing").key("visits/2024/1.csv"),
        RequestBody.fromString("id,url\n1,/home\n2,/cart\n"));

    await(Duration.ofSeconds(30), () -> count("public.visits") == 2 && stack.nextLoader().invocations() >= 1);
    assertThat(stack.events().delivered()).isGreaterThan(delivered);
  }

  private static int count(String table) throws Exception {
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        ResultSet rows = connection.createStatement().executeQuery("select count(*) from " + table)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static QueueDepth depth(String url) {
    return stack.sqsServer().depth(url);
  }
}
