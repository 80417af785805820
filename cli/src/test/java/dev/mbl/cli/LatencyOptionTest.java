package dev.mbl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.local.latency.LatencyProfile;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LatencyOptionTest {
  @Test
  void latency_omitted_fastForBothCommands() {
    DemoCommand demo = new DemoCommand();
    LocalUpCommand up = new LocalUpCommand();

    new CommandLine(demo).parseArgs();
    new CommandLine(up).parseArgs();

    assertThat(demo.latency).isSameAs(LatencyProfile.FAST);
    assertThat(up.latency).isSameAs(LatencyProfile.FAST);
  }

  @Test
  void latency_realistic_parsed() {
    DemoCommand demo = new DemoCommand();
    LocalUpCommand up = new LocalUpCommand();

    new CommandLine(demo).parseArgs("--latency", "realistic");
    new CommandLine(up).parseArgs("--latency", "REALISTIC");

    assertThat(demo.latency).isSameAs(LatencyProfile.REALISTIC);
    assertThat(up.latency).isSameAs(LatencyProfile.REALISTIC);
  }

  @Test
  void latency_unknownValue_failsWithTheProfilesMessage() {
    String expected = "unknown latency profile 'slow': use fast (the stand-ins answer at once) or realistic";

    assertThatThrownBy(() -> new CommandLine(new LocalUpCommand()).parseArgs("--latency", "slow"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(expected);
    assertThatThrownBy(() -> new CommandLine(new DemoCommand()).parseArgs("--latency", "slow"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(expected);
  }
}
