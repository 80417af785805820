package dev.mbl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.local.latency.LatencyProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The goals of issue 12 against made-up figures: which apply to a profile and where each line lies. */
class GoalsTest {
  @Test
  void of_realisticAtEveryLimit_allMet() {
    List<BenchResult.Goal> goals = Goals.of(LatencyProfile.REALISTIC, result(1500, 1000, 3, 6.0, 2000, 1000));

    assertThat(goals).hasSize(4).allSatisfy(goal -> assertThat(goal.met()).as(goal.toString()).isTrue());
  }

  @Test
  void of_realisticJustOverEveryLimit_noneMet() {
    List<BenchResult.Goal> goals = Goals.of(LatencyProfile.REALISTIC, result(1501, 1000, 4, 6.01, 2001, 1000));

    assertThat(goals).hasSize(4).noneSatisfy(goal -> assertThat(goal.met()).isTrue());
    assertThat(goals.get(0).measured()).isEqualTo("1.50x (1501 / 1000 ms)");
  }

  @Test
  void of_realisticWithoutWarehouseTime_trickleGoalNotMet() {
    assertThat(Goals.of(LatencyProfile.REALISTIC, result(1000, 1000, 1, 1, 0, 0)).get(1).met()).isFalse();
  }

  @Test
  void of_fast_onlyIntakeAgainstUpload() {
    BenchResult slowIntake = result(1000, 1000, 1, 1, 1, 1);

    assertThat(Goals.of(LatencyProfile.FAST, slowIntake)).singleElement().satisfies(goal -> {
      assertThat(goal.goal()).isEqualTo("intake at least as fast as upload");
      assertThat(goal.met()).isFalse(); // 100 files/s ledgered against 200 uploaded
    });
  }

  private static BenchResult result(long mblMs, long floorMs, int copies, double wcuPerFile, long p99Ms,
      long warehouseMs) {
    BenchResult.Requests requests = new BenchResult.Requests(100, 10, Map.of(), Map.of(), Map.of(), 0,
        wcuPerFile * 100, 0, 0, wcuPerFile, 0, 0, 0, 0, 0, 0);
    BenchResult.Burst burst = new BenchResult.Burst(100, mblMs, floorMs, mblMs / (double) floorMs, 10, 20, 500, 200,
        1000, 100, Map.of("bench_t0", copies, "bench_t1", 1), Map.of(), Map.of(), Map.of(),
        requests);
    BenchResult.Trickle trickle = new BenchResult.Trickle(10, 5, 2, 3, p99Ms / 2, p99Ms, p99Ms, warehouseMs,
        warehouseMs == 0 ? 0 : p99Ms / (double) warehouseMs, requests);
    return new BenchResult("x", "local", 2, 1, new BenchResult.Machine(2, 1, 1), burst, trickle, List.of());
  }
}
