package dev.mbl.cli;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.local.LocalStack;
import dev.mbl.local.LocalTables;
import dev.mbl.tables.TablesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * The three sample tables of config-samples/tables.json (orders: CSV merge; clicks: gzipped JSON
 * append; inventory: Parquet merge), wired into a local stack from that tables file: target
 * tables created through the Data API, one queue per table, notifications on
 * {@code s3://mbl-demo-landing/<table>/}.
 */
final class SampleTables {
  static final String LANDING = "mbl-demo-landing";
  /** The sample tables file, relative to config-samples/. */
  static final String FILE = "tables.json";

  private SampleTables() {}

  static void install(LocalStack stack, Path samples) {
    LocalTables.addAll(stack, TablesFile.readLocal(samples.resolve(FILE)));
  }

  /** Runs one statement on the sample cluster (analytics, dev) through the Data API and waits for it. */
  static void execute(RedshiftDataClient client, String sql) {
    LocalTables.execute(client, WarehouseTarget.cluster("analytics", "dev"), sql, "sample");
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
