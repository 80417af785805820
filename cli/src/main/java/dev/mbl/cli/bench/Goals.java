package dev.mbl.cli.bench;

import dev.mbl.cli.bench.BenchResult.Goal;
import dev.mbl.local.latency.LatencyProfile;
import java.util.List;
import java.util.Locale;

/**
 * The goals of issue 12 ("Fast at volume") that apply to a profile. Realistic: the burst within
 * 1.5x the floor, the trickle's p99 within 2x one batch's warehouse time, at most 3 COPYs per
 * table, at most 6 DynamoDB WCU per file. Fast: intake at least as fast as upload.
 */
final class Goals {
  static final double BURST_OVER_FLOOR = 1.5;
  static final double P99_OVER_BATCH = 2.0;
  static final int COPIES_PER_TABLE = 3;
  static final double WCU_PER_FILE = 6.0;

  private Goals() {}

  static List<Goal> of(LatencyProfile profile, BenchResult result) {
    BenchResult.Burst burst = result.burst();
    if (profile.isFast()) {
      return List.of(new Goal("intake at least as fast as upload", ">= " + fmt(burst.uploadFilesPerSecond())
          + " files/s", fmt(burst.intakeFilesPerSecond()) + " files/s",
          burst.intakeFilesPerSecond() >= burst.uploadFilesPerSecond()));
    }
    BenchResult.Trickle trickle = result.trickle();
    double wcu = burst.requests().wcuPerFile();
    return List.of(
        new Goal(burst.files() + "-file burst visible within 1.5x the floor", "<= " + BURST_OVER_FLOOR + "x",
            fmt(burst.mblOverFloor()) + "x (" + burst.mblMs() + " / " + burst.floorMs() + " ms)",
            burst.mblOverFloor() <= BURST_OVER_FLOOR),
        new Goal("trickle p99 within 2x one batch's warehouse time", "<= " + P99_OVER_BATCH + "x",
            fmt(trickle.p99OverBatchWarehouse()) + "x (" + trickle.p99Ms() + " / " + trickle.batchWarehouseMs()
                + " ms)", trickle.batchWarehouseMs() > 0 && trickle.p99OverBatchWarehouse() <= P99_OVER_BATCH),
        new Goal("at most 3 COPYs per table (burst)", "<= " + COPIES_PER_TABLE,
            burst.maxCopiesPerTable() + " (max of " + burst.copiesPerTable().values() + ")",
            burst.maxCopiesPerTable() <= COPIES_PER_TABLE),
        new Goal("DynamoDB WCU per file at most 6 (burst, AWS rules)", "<= " + fmt(WCU_PER_FILE), fmt(wcu),
            wcu <= WCU_PER_FILE));
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
