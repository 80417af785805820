package dev.mbl.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.testing.LoadHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment jar as Lambda runs it: a separate JVM whose class path is the shaded jar alone
 * (plus {@link ShadedJarDriver}), each handler built by its no-arg constructor from environment
 * settings, its S3, DynamoDB and Data API clients pointed at S3Proxy, DynamoDB Local and the Data
 * API emulator over PostgreSQL through the SDK's own {@code AWS_ENDPOINT_URL_<SERVICE>} variables.
 * A class the shade filters cut that mbl needs fails here, not in production. The driver runs as
 * Lambda initialises a version for its SnapStart snapshot, so each constructor primes ({@link Priming}).
 */
class ShadedJarIT {
  private static StandInWarehouse warehouse;
  private final LoadHarness h = new LoadHarness();

  @BeforeAll
  static void startWarehouse() throws Exception {
    warehouse = StandInWarehouse.start();
  }

  @AfterAll
  static void stopWarehouse() {
    if (warehouse != null) {
      warehouse.close();
    }
  }

  /** The jar built in package; absent only when ./mbl skipped shading (mbl.shade.phase=none). */
  static Path shadedJar() {
    assumeThat(System.getProperty("mbl.shade.phase")).as("the Lambda jar is not built (mbl.shade.phase=none)")
        .isNotEqualTo("none");
    Path jar = Path.of(System.getProperty("mbl.lambda.jar", "target/mbl-lambda-lambda.jar"));
    assertThat(jar).as("the shaded Lambda jar (built in package, before this IT)").isRegularFile();
    return jar;
  }

  /** Objects in the config (manifest) and landing buckets. */
  private static Map<String, Integer> objectCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String bucket : List.of(LoadHarness.CONFIG_BUCKET, LoadHarness.LANDING_BUCKET)) {
      counts.put(bucket, (int) LoadHarness.s3().client().listObjectsV2Paginator(l -> l.bucket(bucket)).contents()
          .stream().count());
    }
    return counts;
  }

  @Test
  void shadedJar_eachHandlerFromItsNoArgConstructor_loadsThroughS3DynamoDbAndTheDataApi(@TempDir Path work)
      throws Exception {
    Map<String, Integer> objectsBefore = objectCounts();
    List<String> rowsBefore = warehouse.rows();
    // As Lambda initialises a version for its SnapStart snapshot: each constructor primes.
    try (DriverProcess driver = DriverProcess.start(shadedJar(), work, h.tracker.tableName(),
        warehouse.dataApiEndpoint(), true)) {
      for (String handler : List.of("MicrobatchLoaderHandler", "NextLoaderHandler", "BulkLoaderHandler")) {
        assertThat(driver.await("construct").path("handler").asText()).isEqualTo(handler);
      }
      // Every S3, DynamoDB and Data API request kind mbl sends, marshalled and signed by the jar's SDK
      // and refused by the closed port; none reached the stand-ins the handlers' clients point at.
      List<JsonNode> primed = driver.logLines("primed");
      assertThat(primed).as(driver.output()).extracting(l -> l.path("function").asText())
          .containsExactly("MicrobatchLoader", "NextLoader", "BulkLoader");
      for (JsonNode line : primed) {
        assertThat(line.path("request_kinds").asInt()).as(line.toString()).isEqualTo(18);
        assertThat(line.path("refused").asInt()).as(line.toString()).isEqualTo(18);
      }
      assertThat(LoadHarness.dynamo().client().scan(s -> s.tableName(h.tracker.tableName())).count())
          .as("tracker items after priming").isZero();
      assertThat(objectCounts()).as("objects per bucket after priming").isEqualTo(objectsBefore);
      assertThat(warehouse.rows()).as("warehouse rows after priming").isEqualTo(rowsBefore);

      S3ObjectRef file = h.upload(null);
      JsonNode microbatch = driver.send("sqs", DriverProcess.sqsRecords(h.message("m-1", file)));
      assertThat(microbatch.path("answer").path("batchItemFailures")).as(microbatch + driver.output()).isEmpty();

      JsonNode next = driver.send("next", warehouse.awaitStatusEvent(DriverProcess.STEP_DEADLINE));
      assertThat(next.path("answer").path("actions").path("loaded").asInt()).as(next + driver.output())
          .isEqualTo(1);
      assertThat(warehouse.rows()).containsExactlyInAnyOrder(file.key() + ",1", file.key() + ",2");

      S3ObjectRef daily = h.upload(null);
      String prefix = daily.key().substring(0, daily.key().lastIndexOf('/') + 1);
      JsonNode bulk = driver.send("bulk", """
          {"tables":[{"config":"orders-queue","prefix":"s3://%s/%s"}]}""".formatted(LoadHarness.LANDING_BUCKET,
          prefix));
      JsonNode path = bulk.path("answer").path("paths").path(0);
      assertThat(path.path("enqueued").asInt()).as(bulk + driver.output()).isEqualTo(1);
      assertThat(path.path("skipped").asInt()).as("the file loaded above").isEqualTo(1);

      JsonNode reconcile = driver.send("next", "{\"action\":\"reconcile\"}");
      assertThat(reconcile.path("answer").path("trigger").asText()).as(reconcile + driver.output()).isNotEmpty();
    }
  }
}
