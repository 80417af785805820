package dev.mbl.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.load.QueueMessage;
import dev.mbl.local.redshift.DataApiEmulator;
import dev.mbl.local.redshift.LocalPostgres;
import dev.mbl.local.s3.S3Server;
import dev.mbl.testing.LoadHarness;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment jar as Lambda runs it: a separate JVM whose class path is the shaded jar alone
 * (plus {@link ShadedJarDriver}), each handler built by its no-arg constructor from environment
 * settings, its S3, DynamoDB and Data API clients pointed at S3Proxy, DynamoDB Local and the Data
 * API emulator over PostgreSQL through the SDK's own {@code AWS_ENDPOINT_URL_<SERVICE>} variables.
 * A class the shade filters cut that mbl needs fails here, not in production.
 */
class ShadedJarIT {
  private static final Duration STEP_DEADLINE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalPostgres postgres;
  private static DataApiEmulator dataApi;
  private static final List<String> statusEvents = new CopyOnWriteArrayList<>();

  private final LoadHarness h = new LoadHarness();
  private final BlockingQueue<String> childLines = new LinkedBlockingQueue<>();
  private final List<String> childOutput = new CopyOnWriteArrayList<>();
  private Process child;
  private Thread childReader;

  @BeforeAll
  static void startWarehouse() throws Exception {
    new LoadHarness(); // starts the shared S3Proxy and DynamoDB Local
    postgres = LocalPostgres.start();
    try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("create table public.orders (id varchar(256), amount int8)");
    }
    dataApi = DataApiEmulator.start(postgres, LoadHarness.s3().client(), statusEvents::add, "us-east-1",
        "123456789012");
  }

  @AfterAll
  static void stopWarehouse() {
    if (dataApi != null) {
      dataApi.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static Path shadedJar() {
    assumeThat(System.getProperty("mbl.shade.phase")).as("the Lambda jar is not built (mbl.shade.phase=none)")
        .isNotEqualTo("none");
    Path jar = Path.of(System.getProperty("mbl.lambda.jar", "target/mbl-lambda-lambda.jar"));
    assertThat(jar).as("the shaded Lambda jar (built in package, before this IT)").isRegularFile();
    return jar;
  }

  @Test
  void shadedJar_eachHandlerFromItsNoArgConstructor_loadsThroughS3DynamoDbAndTheDataApi(@TempDir Path driverDir)
      throws Exception {
    child = startDriver(shadedJar(), driverDir);
    try (Writer commands = child.outputWriter(StandardCharsets.UTF_8)) {
      for (String handler : List.of("MicrobatchLoaderHandler", "NextLoaderHandler", "BulkLoaderHandler")) {
        assertThat(await("construct").path("handler").asText()).isEqualTo(handler);
      }

      // Every S3, DynamoDB and Data API request kind mbl sends, marshalled and signed by the jar's SDK.
      JsonNode primed = send(commands, "prime", "-");
      assertThat(primed.path("answer").path("failed").asInt()).as(describe(primed))
          .isEqualTo(primed.path("answer").path("calls").asInt()).isPositive();

      S3ObjectRef file = h.upload(null);
      JsonNode microbatch = send(commands, "sqs", sqsRecords(h.message("m-1", file)));
      assertThat(microbatch.path("answer").path("batchItemFailures")).as(describe(microbatch)).isEmpty();

      String completion = awaitStatusEvent();
      JsonNode next = send(commands, "next", completion);
      assertThat(next.path("answer").path("actions").path("loaded").asInt()).as(describe(next)).isEqualTo(1);
      assertThat(warehouseRows()).containsExactlyInAnyOrder(file.key() + ",1", file.key() + ",2");

      S3ObjectRef daily = h.upload(null);
      String prefix = daily.key().substring(0, daily.key().lastIndexOf('/') + 1);
      JsonNode bulk = send(commands, "bulk", """
          {"tables":[{"config":"orders-queue","prefix":"s3://%s/%s"}]}"""
          .formatted(LoadHarness.LANDING_BUCKET, prefix));
      assertThat(bulk.path("answer").path("paths").get(0).path("enqueued").asInt()).as(describe(bulk))
          .isEqualTo(1);
      assertThat(bulk.path("answer").path("paths").get(0).path("skipped").asInt()).as("the loaded file")
          .isEqualTo(1);

      JsonNode reconcile = send(commands, "next", "{\"action\":\"reconcile\"}");
      assertThat(reconcile.path("answer").path("trigger").asText()).as(describe(reconcile)).isNotEmpty();
      commands.write("quit\n");
    } finally {
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("driver exited").isTrue();
      child.destroyForcibly();
    }
    System.out.println("ShadedJarIT timings (not asserted): " + childOutput.stream()
        .filter(l -> l.startsWith("DRIVER ")).map(l -> l.replaceAll("\"answer\":.*", "")).toList());
  }

  private Process startDriver(Path jar, Path driverDir) throws IOException {
    Path classes = Path.of(ShadedJarDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path target = Files.createDirectories(driverDir.resolve("dev/mbl/lambda"));
    try (var files = Files.list(classes.resolve("dev/mbl/lambda"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("ShadedJarDriver")).toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-cp",
        jar.toAbsolutePath() + File.pathSeparator + driverDir, ShadedJarDriver.class.getName())
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MBL_") || k.equals("JAVA_TOOL_OPTIONS"));
    env.putAll(Map.of("AWS_REGION", "us-east-1", "MBL_TRACKER_TABLE", h.tracker.tableName(),
        "MBL_CONFIG_BUCKET", LoadHarness.CONFIG_BUCKET,
        "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
        "AWS_CONFIG_FILE", driverDir.resolve("no-config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", driverDir.resolve("no-credentials").toString(),
        "AWS_ENDPOINT_URL_S3", LoadHarness.s3().endpoint().toString(),
        "AWS_ENDPOINT_URL_DYNAMODB", LoadHarness.dynamo().endpoint().toString(),
        "AWS_ENDPOINT_URL_REDSHIFT_DATA", dataApi.endpoint().toString()));
    Process started = builder.start();
    childReader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          childOutput.add(line);
          if (line.startsWith("DRIVER ")) {
            childLines.add(line.substring("DRIVER ".length()));
          }
        }
      } catch (IOException closed) {
        childOutput.add("(output closed: " + closed.getMessage() + ")");
      }
    }, "shaded-jar-driver-output");
    childReader.setDaemon(true);
    childReader.start();
    return started;
  }

  private JsonNode send(Writer commands, String command, String payload) throws Exception {
    commands.write(command + " " + payload.replace('\n', ' ') + "\n");
    commands.flush();
    return await(command);
  }

  /** The driver's next answer; fails at once when the driver has died (a missing class, say). */
  private JsonNode await(String step) throws Exception {
    long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
    String line = childLines.poll(200, TimeUnit.MILLISECONDS);
    while (line == null && System.nanoTime() < deadline && (childReader.isAlive() || !childLines.isEmpty())) {
      line = childLines.poll(200, TimeUnit.MILLISECONDS);
    }
    assertThat(line).as("driver answer to %s; its output so far:%n%s", step, String.join("\n", childOutput))
        .isNotNull();
    JsonNode node = JSON.readTree(line);
    assertThat(node.path("step").asText()).as(describe(node)).isEqualTo(step);
    return node;
  }

  private String describe(JsonNode answer) {
    return answer + "\nchild output:\n" + String.join("\n", childOutput);
  }

  private static String sqsRecords(QueueMessage... messages) {
    var records = JSON.createArrayNode();
    for (QueueMessage m : messages) {
      records.addObject().put("messageId", m.messageId()).put("eventSourceArn", m.eventSourceArn())
          .put("body", m.body());
    }
    return records.toString();
  }

  /** The emulator's EventBridge event for the load the intake started, as one line. */
  private static String awaitStatusEvent() throws Exception {
    long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      for (String event : statusEvents) {
        JsonNode node = JSON.readTree(event);
        if (!node.path("detail").path("state").asText().isEmpty()) {
          statusEvents.remove(event);
          return node.toString();
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("no Data API status event within " + STEP_DEADLINE);
  }

  private static List<String> warehouseRows() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select id, amount from public.orders")) {
      while (r.next()) {
        rows.add(r.getString(1) + "," + r.getLong(2));
      }
    }
    return rows;
  }
}
