package dev.mbl.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault schedule is a function of the seed: replaying a seed replays the faults. */
class FaultPlanTest {
  private static final Map<FaultKind, Double> RATES = Map.of(FaultKind.CRASH, 0.3, FaultKind.LOST_EVENT, 0.5);

  private static List<Boolean> crashes(FaultPlan plan, int n, boolean interleaveOtherKinds) {
    List<Boolean> decisions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (interleaveOtherKinds && i % 3 == 0) {
        plan.next(FaultKind.LOST_EVENT);
      }
      decisions.add(plan.next(FaultKind.CRASH));
    }
    return decisions;
  }

  @Test
  void next_sameSeed_sameSchedulePerKindWhateverOtherKindsDraw() {
    List<Boolean> alone = crashes(new FaultPlan(42, RATES), 200, false);
    List<Boolean> interleaved = crashes(new FaultPlan(42, RATES), 200, true);

    assertThat(interleaved).isEqualTo(alone).contains(true, false);
    assertThat(crashes(new FaultPlan(43, RATES), 200, false)).isNotEqualTo(alone);
  }

  @Test
  void next_afterStop_injectsNothingAndCountsOnlyEarlierFaults() {
    FaultPlan plan = new FaultPlan(7, Map.of(FaultKind.CRASH, 1.0));
    assertThat(plan.next(FaultKind.CRASH)).isTrue();

    plan.stop();

    assertThat(plan.next(FaultKind.CRASH)).isFalse();
    assertThat(plan.injected(FaultKind.CRASH)).isEqualTo(1);
  }

  @Test
  void next_firstChanceHits_everyKindWithARateFiresAtItsFirstDecisionOnly() {
    FaultPlan plan = new FaultPlan(42, Map.of(FaultKind.THROTTLING, 0.000001, FaultKind.SUBMIT_5XX, 0.0), true);

    assertThat(plan.next(FaultKind.THROTTLING)).isTrue();
    assertThat(plan.next(FaultKind.THROTTLING)).isFalse();
    assertThat(plan.next(FaultKind.SUBMIT_5XX)).as("a kind turned off stays off").isFalse();
  }

  @Test
  void new_rateOutsideZeroToOne_rejectedNamingTheKind() {
    assertThatThrownBy(() -> new FaultPlan(1, Map.of(FaultKind.OVERWRITE, 1.5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OVERWRITE");
  }
}
