package dev.mbl.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.log.JsonLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Priming before a SnapStart snapshot (AWS, "Maximize Lambda SnapStart performance": preload in
 * initialisation code), gated on {@code AWS_LAMBDA_INITIALIZATION_TYPE} ("Defined runtime
 * environment variables"). An IT: the requests go to a closed port on loopback. That the handlers'
 * own clients and the stand-ins see nothing is {@link ShadedJarIT}'s, from the deployment jar.
 */
class PrimingIT {
  /** Every S3, DynamoDB and Data API operation mbl-core sends (its tracker, config, manifest and warehouse code). */
  private static final List<String> MBL_REQUEST_KINDS = List.of("DynamoDb.GetItem", "DynamoDb.PutItem",
      "DynamoDb.UpdateItem", "DynamoDb.DeleteItem", "DynamoDb.Query", "DynamoDb.TransactWriteItems",
      "DynamoDb.BatchGetItem", "DynamoDb.BatchWriteItem", "S3.GetObject", "S3.PutObject", "S3.HeadObject",
      "S3.ListObjectsV2", "RedshiftData.ExecuteStatement", "RedshiftData.BatchExecuteStatement",
      "RedshiftData.DescribeStatement", "RedshiftData.GetStatementResult", "RedshiftData.ListStatements",
      "RedshiftData.DescribeTable");
  private static final Map<String, String> SNAP_START = Map.of(Priming.INITIALIZATION_TYPE, Priming.SNAP_START);
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8));

  private List<JsonNode> logLines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(new ObjectMapper().readTree(line));
      }
    }
    return lines;
  }

  @Test
  void onInitialization_onDemandOrVariableUnset_primesNothingAndLogsNothing() throws Exception {
    AtomicInteger primed = new AtomicInteger();
    Supplier<Priming.Report> counting = () -> {
      primed.incrementAndGet();
      return new Priming.Report(List.of(), 0, 0);
    };
    for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of(Priming.INITIALIZATION_TYPE,
        "on-demand"), Map.of(Priming.INITIALIZATION_TYPE, "provisioned-concurrency"))) {
      assertThat(Priming.onInitialization(env, "MicrobatchLoader", log, counting)).as(env.toString()).isEmpty();
    }
    assertThat(primed).hasValue(0);
    assertThat(logged.size()).as("log bytes").isZero();
  }

  @Test
  void onInitialization_snapStart_marshalsEveryRequestKindMblSendsAndNoneIsAnswered() throws Exception {
    Priming.Report report = Priming.onInitialization(SNAP_START, "NextLoader", log, Priming::prime).orElseThrow();

    assertThat(report.marshalled()).containsExactlyInAnyOrderElementsOf(MBL_REQUEST_KINDS);
    assertThat(report.refused()).as("requests refused by the closed port").isEqualTo(MBL_REQUEST_KINDS.size());
    List<JsonNode> lines = logLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("function").asText()).isEqualTo("NextLoader");
    assertThat(lines.get(0).path("action").asText()).isEqualTo("primed");
    assertThat(lines.get(0).path("request_kinds").asInt()).isEqualTo(MBL_REQUEST_KINDS.size());
    assertThat(lines.get(0).path("refused").asInt()).isEqualTo(MBL_REQUEST_KINDS.size());
    assertThat(lines.get(0).has("ms")).isTrue();
  }

  @Test
  void onInitialization_primeThrows_neverThrowsAndLogsOneWarning() throws Exception {
    Supplier<Priming.Report> failing = () -> {
      throw new IllegalStateException("sample event rejected");
    };
    Supplier<Priming.Report> cutClass = () -> {
      throw new NoClassDefFoundError("software/amazon/awssdk/services/s3/Cut"); // a class the shade filters removed
    };

    assertThat(Priming.onInitialization(SNAP_START, "BulkLoader", log, failing)).isEmpty();
    assertThat(Priming.onInitialization(SNAP_START, "BulkLoader", log, cutClass)).isEmpty();

    List<JsonNode> lines = logLines();
    assertThat(lines).extracting(l -> l.path("action").asText()).containsExactly("prime-failed", "prime-failed");
    assertThat(lines).extracting(l -> l.path("level").asText()).containsOnly("WARN");
    assertThat(lines.get(0).path("detail").asText()).contains("IllegalStateException: sample event rejected");
    assertThat(lines.get(1).path("detail").asText()).contains("NoClassDefFoundError")
        .contains("the first invocation after a restore");
  }

  @Test
  void report_refusedBeyondRequests_isRejectedNamingBoth() {
    assertThatThrownBy(() -> new Priming.Report(List.of("S3.GetObject"), 2, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused (2)")
        .hasMessageContaining("requests (1)");
  }
}
