package dev.mbl.cli.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Every figure of one profile's run, as printed and as {@code --output json} writes it. */
record BenchResult(String profile, String mapping, int tables, long stackStartMs, Machine machine, Burst burst,
    Trickle trickle, List<Goal> goals) {
  BenchResult {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(burst, "burst");
    Objects.requireNonNull(trickle, "trickle");
    goals = List.copyOf(goals);
  }

  /** The machine the run shared: cores and the 1-minute load average before and after the run. */
  record Machine(int cores, double loadBefore, double loadAfter) {
    static double load() {
      return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }

  /**
   * The burst: all files uploaded in parallel, until every row is visible; the floor for the same
   * files; per file, upload acknowledged to rows visible; upload and intake speed (files ledgered
   * per second, from the first upload to the last file's arrival in the ledger).
   */
  record Burst(int files, long mblMs, long floorMs, double mblOverFloor, long p50Ms, long p99Ms, long uploadMs,
      double uploadFilesPerSecond, long intakeMs, double intakeFilesPerSecond, Map<String, Integer> copiesPerTable,
      Map<String, List<Applied>> batchesPerTable, Map<String, Integer> failedBatchesPerTable,
      Map<String, Long> rowsPerTable, Requests requests) {
    Burst {
      copiesPerTable = sorted(copiesPerTable);
      batchesPerTable = sorted(batchesPerTable);
      failedBatchesPerTable = sorted(failedBatchesPerTable);
      rowsPerTable = sorted(rowsPerTable);
    }

    int maxCopiesPerTable() {
      return copiesPerTable.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
  }

  /** One applied batch of the burst: its files, and when it became visible (ms after the first upload). */
  record Applied(int files, long visibleMs) {}

  /**
   * The trickle: {@code rate} files a second for {@code seconds}; upload acknowledged to rows
   * visible per file, and one batch's warehouse time (median of its batches' submitted to finished).
   */
  record Trickle(int files, double rate, int seconds, int batches, long p50Ms, long p99Ms, long maxMs,
      long batchWarehouseMs, double p99OverBatchWarehouse, Requests requests) {}

  /**
   * AWS requests of the handlers in one phase, by operation, and DynamoDB capacity units: by AWS's
   * rules ({@code rcu}, {@code wcu}) and as DynamoDB Local reported them.
   */
  record Requests(int files, int batches, Map<String, Long> dynamoDb, Map<String, Long> s3,
      Map<String, Long> dataApi, double rcu, double wcu, double localRcu, double localWcu, double wcuPerFile,
      double rcuPerFile, double dynamoDbPerFile, double s3PerFile, double dataApiPerFile, double dataApiPerBatch,
      long withoutCapacity) {
    Requests {
      dynamoDb = sorted(dynamoDb);
      s3 = sorted(s3);
      dataApi = sorted(dataApi);
    }

    static Requests of(RequestCounter.Counts counts, int files, int batches) {
      double f = Math.max(1, files);
      return new Requests(files, batches, counts.of("dynamodb"), counts.of("s3"), counts.of("redshift-data"),
          counts.rcu(), counts.wcu(), counts.reportedRcu(), counts.reportedWcu(), counts.wcu() / f, counts.rcu() / f,
          counts.total("dynamodb") / f, counts.total("s3") / f, counts.total("redshift-data") / f,
          counts.total("redshift-data") / (double) Math.max(1, batches), counts.dynamoWithoutCapacity());
    }
  }

  /** An unmodifiable copy in key order, so the report lists tables and operations the same way every run. */
  static <V> Map<String, V> sorted(Map<String, V> map) {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(map));
  }

  /** One of the goals: what it asks, what was measured, whether it was met. */
  record Goal(String goal, String target, String measured, boolean met) {}
}
