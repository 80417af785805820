package dev.mbl.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mbl.cli.bench.BenchResult.Burst;
import dev.mbl.cli.bench.BenchResult.Goal;
import dev.mbl.cli.bench.BenchResult.Requests;
import dev.mbl.cli.bench.BenchResult.Trickle;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints the bench's figures: per profile, then one summary table; or all of it as JSON. */
final class BenchReport {
  private BenchReport() {}

  static void printJson(List<BenchResult> results, PrintStream out) {
    try {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(Map.of("profiles", results)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the bench's JSON report", e);
    }
  }

  static void print(List<BenchResult> results, PrintStream out) {
    for (BenchResult result : results) {
      printProfile(result, out);
    }
    out.println();
    out.println("== summary ==");
    out.println("| profile | burst files | mbl visible | floor | mbl/floor | COPYs per table (max) | failed batches "
        + "| upload files/s | intake files/s | trickle p50 / p99 | batch warehouse time | p99/batch | WCU/file | "
        + "RCU/file |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (BenchResult r : results) {
      Burst b = r.burst();
      Trickle t = r.trickle();
      out.printf(Locale.ROOT, "| %s | %d | %d ms | %d ms | %.2fx | %d | %d | %.0f | %.0f | %d / %d ms | %d ms | %.2fx "
          + "| %.2f | %.2f |%n", r.profile(), b.files(), b.mblMs(), b.floorMs(), b.mblOverFloor(),
          b.maxCopiesPerTable(), b.failedBatchesPerTable().values().stream().mapToInt(Integer::intValue).sum(),
          b.uploadFilesPerSecond(), b.intakeFilesPerSecond(), t.p50Ms(), t.p99Ms(), t.batchWarehouseMs(),
          t.p99OverBatchWarehouse(), b.requests().wcuPerFile(), b.requests().rcuPerFile());
    }
    out.println();
    out.println("| profile | goal | target | measured | met |");
    out.println("|---|---|---|---|---|");
    for (BenchResult r : results) {
      for (Goal goal : r.goals()) {
        out.printf("| %s | %s | %s | %s | %s |%n", r.profile(), goal.goal(), goal.target(), goal.measured(),
            goal.met() ? "met" : "NOT met");
      }
    }
  }

  private static void printProfile(BenchResult r, PrintStream out) {
    Burst b = r.burst();
    Trickle t = r.trickle();
    out.println();
    out.printf(Locale.ROOT, "== profile %s (%d tables, SQS mapping %s; local stack up in %d ms; %d cores, load average "
        + "%.1f before, %.1f after) ==%n", r.profile(), r.tables(), r.mapping(), r.stackStartMs(), r.machine().cores(),
        r.machine().loadBefore(), r.machine().loadAfter());
    out.printf(Locale.ROOT, "burst: %d files; all rows visible after %d ms; floor (one COPY per table) %d ms; "
        + "mbl/floor %.2fx%n", b.files(), b.mblMs(), b.floorMs(), b.mblOverFloor());
    out.printf("  upload -> visible per file: p50 %d ms, p99 %d ms%n", b.p50Ms(), b.p99Ms());
    out.printf(Locale.ROOT, "  after the last upload (%d ms): all rows visible %d ms later, %.2fx the floor%n",
        b.uploadMs(), b.mblMs() - b.uploadMs(), (b.mblMs() - b.uploadMs()) / (double) Math.max(1, b.floorMs()));
    out.printf("  COPYs (batches applied) per table: %s; failed batches: %s%n", b.copiesPerTable(),
        b.failedBatchesPerTable());
    b.batchesPerTable().forEach((table, batches) -> out.printf("    %s: %s%n", table, batches.stream()
        .map(a -> String.format(Locale.ROOT, "%d %s visible at %.1f s", a.files(), a.files() == 1 ? "file" : "files",
            a.visibleMs() / 1000.0))
        .collect(Collectors.joining(", "))));
    out.printf(Locale.ROOT, "  upload: %d ms, %.1f files/s; intake (ledgered): %d ms, %.1f files/s%n", b.uploadMs(),
        b.uploadFilesPerSecond(), b.intakeMs(), b.intakeFilesPerSecond());
    out.printf("  rows per table (= distinct keys, checked): %s%n", b.rowsPerTable());
    requests("burst", b.requests(), out);
    out.printf(Locale.ROOT, "trickle: %d files at %.1f/s for %d s, %d batches; upload -> visible p50 %d ms, p99 %d ms, "
        + "max %d ms%n", t.files(), t.rate(), t.seconds(), t.batches(), t.p50Ms(), t.p99Ms(), t.maxMs());
    out.printf(Locale.ROOT, "  one batch's warehouse time (median submitted -> finished) %d ms; p99 / that %.2fx%n",
        t.batchWarehouseMs(), t.p99OverBatchWarehouse());
    requests("trickle", t.requests(), out);
    out.println("  goals:");
    for (Goal goal : r.goals()) {
      out.printf("    %-55s %-10s %-40s %s%n", goal.goal(), goal.target(), goal.measured(),
          goal.met() ? "met" : "NOT met");
    }
  }

  private static void requests(String phase, Requests q, PrintStream out) {
    out.printf(Locale.ROOT, "  %s requests per loaded file (%d files, %d batches), counted at the handlers' clients:%n",
        phase, q.files(), q.batches());
    out.printf(Locale.ROOT, "    DynamoDB: %.2f requests, %.2f WCU, %.2f RCU (AWS's rules, a transaction 2 writes per "
        + "item of its own size; DynamoDB Local reported %.2f WCU, %.2f RCU)%s%n", q.dynamoDbPerFile(), q.wcuPerFile(),
        q.rcuPerFile(), q.localWcu() / Math.max(1, q.files()), q.localRcu() / Math.max(1, q.files()),
        q.withoutCapacity() == 0 ? "" : "; " + q.withoutCapacity() + " responses without consumed capacity");
    out.printf("      by operation: %s%n", perFile(q.dynamoDb(), q.files()));
    out.printf(Locale.ROOT, "    Data API: %.2f calls per file, %.2f per batch; by operation per batch: %s%n",
        q.dataApiPerFile(), q.dataApiPerBatch(), perFile(q.dataApi(), q.batches()));
    out.printf(Locale.ROOT, "    S3: %.2f requests per file; by operation: %s%n", q.s3PerFile(),
        perFile(q.s3(), q.files()));
  }

  private static String perFile(Map<String, Long> calls, int per) {
    StringBuilder text = new StringBuilder();
    new java.util.TreeMap<>(calls).forEach((op, n) -> text.append(text.length() == 0 ? "" : ", ").append(op)
        .append(' ').append(String.format(Locale.ROOT, "%.2f", n / (double) Math.max(1, per))));
    return text.length() == 0 ? "none" : text.toString();
  }
}
