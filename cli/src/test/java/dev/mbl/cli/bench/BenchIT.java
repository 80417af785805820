package dev.mbl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.local.latency.LatencyProfile;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code mbl bench} on the fast profile with tiny sizes: every phase runs, every file becomes
 * visible with the right rows (the bench checks them itself and fails otherwise), and the report
 * has every figure of issue 12. No timing is asserted: this is a benchmark's plumbing test.
 */
class BenchIT {
  @Test
  void run_fastProfileTinySizes_reportsEveryFigureWithEveryFileVisible() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    BenchResult result;
    try (PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8);
        PrintStream functionLog = new PrintStream(OutputStream.nullOutputStream())) {
      result = Bench.run(new Bench.Options(40, 4, 5, 3, 7, 8, Mapping.local, Duration.ofMinutes(2), functionLog,
          out),
          LatencyProfile.FAST);
    }
    String context = progress.toString(StandardCharsets.UTF_8);

    BenchResult.Burst burst = result.burst();
    assertThat(result.profile()).isEqualTo("fast");
    assertThat(burst.files()).isEqualTo(40);
    assertThat(burst.copiesPerTable()).as(context).hasSize(4).allSatisfy((table, copies) ->
        assertThat(copies).isBetween(1, 10));
    assertThat(burst.failedBatchesPerTable()).containsOnlyKeys(burst.copiesPerTable().keySet());
    assertThat(burst.batchesPerTable().values().stream().flatMap(List::stream)
        .mapToInt(BenchResult.Applied::files).sum()).isEqualTo(40);
    assertThat(burst.rowsPerTable().values()).allSatisfy(rows -> assertThat(rows).isPositive());
    assertThat(burst.mblMs()).isPositive();
    assertThat(burst.floorMs()).isPositive();
    assertThat(burst.p50Ms()).isLessThanOrEqualTo(burst.p99Ms());
    assertThat(burst.intakeFilesPerSecond()).isPositive();
    assertThat(burst.uploadFilesPerSecond()).isPositive();
    BenchResult.Requests requests = burst.requests();
    assertThat(requests.batches()).isEqualTo(burst.copiesPerTable().values().stream().mapToInt(i -> i).sum());
    assertThat(requests.wcu()).isPositive().isLessThanOrEqualTo(requests.localWcu());
    assertThat(requests.withoutCapacity()).isZero();
    assertThat(requests.dataApi()).containsKey("BatchExecuteStatement");
    assertThat(requests.s3()).containsKey("HeadObject");
    assertThat(requests.dynamoDb()).isNotEmpty();

    BenchResult.Trickle trickle = result.trickle();
    assertThat(trickle.files()).isEqualTo(15);
    assertThat(trickle.batches()).isBetween(1, 15);
    assertThat(trickle.p50Ms()).isLessThanOrEqualTo(trickle.p99Ms());
    assertThat(trickle.p99Ms()).isLessThanOrEqualTo(trickle.maxMs());
    assertThat(trickle.batchWarehouseMs()).isPositive();
    assertThat(trickle.requests().dataApi()).containsKey("BatchExecuteStatement");
    assertThat(result.goals()).extracting(BenchResult.Goal::goal).containsExactly("intake at least as fast as upload");

    ByteArrayOutputStream text = new ByteArrayOutputStream();
    BenchReport.print(List.of(result), new PrintStream(text, true, StandardCharsets.UTF_8));
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("mbl/floor", "upload -> visible per file",
        "COPYs (batches applied) per table", "files visible at", "intake (ledgered)", "upload -> visible p50",
        "one batch's warehouse time", "WCU", "Data API", "S3:", "SQS mapping local", "== summary ==", "| fast | intake at least as fast as upload |");
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    BenchReport.printJson(List.of(result), new PrintStream(json, true, StandardCharsets.UTF_8));
    JsonNode tree = new ObjectMapper().readTree(json.toByteArray());
    assertThat(tree.at("/profiles/0/burst/requests/wcuPerFile").asDouble()).isPositive();
    assertThat(tree.at("/profiles/0/trickle/p99Ms").isNumber()).isTrue();
  }
}
