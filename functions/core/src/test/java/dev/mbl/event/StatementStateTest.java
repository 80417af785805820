package dev.mbl.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StatementStateTest {
  @Test
  void terminal_finishedFailedAborted_true() {
    assertThat(Arrays.stream(StatementState.values()).filter(StatementState::terminal))
        .containsExactly(StatementState.FINISHED, StatementState.FAILED, StatementState.ABORTED);
  }

  @Test
  void terminal_runningStatesAndAll_false() {
    assertThat(Arrays.stream(StatementState.values()).filter(s -> !s.terminal()))
        .containsExactly(StatementState.SUBMITTED, StatementState.PICKED, StatementState.STARTED,
            StatementState.ALL);
  }

  @Test
  void fromApi_exactSpelling_state() {
    assertThat(StatementState.fromApi("PICKED")).contains(StatementState.PICKED);
  }

  @Test
  void fromApi_otherSpellingOrNull_empty() {
    assertThat(StatementState.fromApi("picked")).isEmpty();
    assertThat(StatementState.fromApi(null)).isEmpty();
  }
}
