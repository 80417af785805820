package dev.mbl.cli;

import dev.mbl.cli.demo.DemoData;
import dev.mbl.local.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * The three sample tables of config-samples/ (orders: CSV merge; clicks: gzipped JSON append;
 * inventory: Parquet merge), wired into a local stack: target tables created through the Data
 * API, one queue per table, notifications on {@code s3://mbl-demo-landing/<table>/}.
 */
final class SampleTables {
  static final String LANDING = "mbl-demo-landing";
  /** queue name, config sample, landing prefix. */
  static final List<String[]> TABLES = List.of(
      new String[] {"orders", "orders.json", "orders/"},
      new String[] {"clicks", "clicks-append.json", "clicks/"},
      new String[] {"inventory", "inventory-parquet.json", "inventory/"});

  private SampleTables() {}

  static void install(LocalStack stack, Path samples) {
    for (String ddl : DemoData.DDL) {
      execute(stack.redshiftData(), ddl);
    }
    for (String[] table : TABLES) {
      try {
        stack.addTable(table[0], Files.readAllBytes(samples.resolve(table[1])), LANDING, table[2]);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + samples.resolve(table[1])
            + ": run mbl from the repository root (config-samples/ must be there)", e);
      }
    }
  }

  /** Runs one statement through the Data API and waits for it, as a user would with the CLI. */
  static void execute(RedshiftDataClient client, String sql) {
    String id = client.executeStatement(e -> e.clusterIdentifier("analytics").database("dev").sql(sql)).id();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      var status = client.describeStatement(d -> d.id(id));
      switch (status.statusAsString()) {
        case "FINISHED":
          return;
        case "FAILED", "ABORTED":
          throw new IllegalStateException("statement failed: " + status.error() + "\n  " + sql);
        default:
          Waits.pause(Duration.ofMillis(50));
      }
    }
    throw new IllegalStateException("statement did not finish within 30 s: " + sql);
  }

  /** config-samples/ of the repository: here, or one level up (a module's folder). */
  static Path samplesFolder() {
    for (Path candidate : new Path[] {Path.of("config-samples"), Path.of("..", "config-samples")}) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("config-samples/ is not in " + Path.of("").toAbsolutePath()
        + ": run ./mbl from the repository root");
  }
}
