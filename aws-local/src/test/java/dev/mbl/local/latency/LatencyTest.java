package dev.mbl.local.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void everyCost_fastProfile_asksForNoPause() {
    RecordedPauses pauses = new RecordedPauses();
    Latency fast = new Latency(LatencyProfile.FAST, pauses);

    fast.dataApiRequest();
    fast.queueing();
    fast.transaction();
    fast.copy(10 * MIB);
    fast.eventDelivery();
    fast.dynamoRequest();
    fast.s3Request();
    fast.sqsReceive();

    assertThat(pauses.requested()).isEmpty();
    assertThat(Latency.of(LatencyProfile.FAST).isNone()).isTrue();
  }

  @Test
  void copy_threeMiBOnRealisticProfile_asksForCopyPlusThreeScans() {
    RecordedPauses pauses = new RecordedPauses();
    LatencyProfile realistic = LatencyProfile.REALISTIC;

    new Latency(realistic, pauses).copy(3 * MIB);

    assertThat(pauses.requested()).containsExactly(realistic.copy().plus(realistic.scanPerMb().multipliedBy(3)));
  }

  @Test
  void copyCost_halfAMiB_scansHalfTheRate() {
    LatencyProfile profile = new LatencyProfile("t", Duration.ZERO, Duration.ZERO, Duration.ZERO,
        Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    assertThat(new Latency(profile, Pauses.SLEEP).copyCost(MIB / 2)).isEqualTo(Duration.ofMillis(1_005));
    assertThatThrownBy(() -> new Latency(profile, Pauses.SLEEP).copyCost(-1))
        .hasMessageContaining("-1 bytes");
  }

  @Test
  void eachCost_realisticProfile_asksForItsOwnFigure() {
    RecordedPauses pauses = new RecordedPauses();
    LatencyProfile p = LatencyProfile.REALISTIC;
    Latency latency = new Latency(p, pauses);

    latency.dataApiRequest();
    latency.queueing();
    latency.transaction();
    latency.eventDelivery();
    latency.dynamoRequest();
    latency.s3Request();
    latency.sqsReceive();

    assertThat(pauses.requested()).containsExactly(p.dataApiRequest(), p.queueing(), p.transaction(),
        p.eventDelivery(), p.dynamoRequest(), p.s3Request(), p.sqsReceive());
  }

  @Test
  void named_unknownValue_namesBothProfiles() {
    assertThat(LatencyProfile.named(" Realistic ")).isSameAs(LatencyProfile.REALISTIC);
    assertThatThrownBy(() -> LatencyProfile.named("slow"))
        .hasMessageContaining("unknown latency profile 'slow'").hasMessageContaining("fast")
        .hasMessageContaining("realistic");
  }
}
