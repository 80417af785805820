package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.testing.LoadHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every consumed message leaves a note (a log line), even one with nothing to load. */
class IntakeNotesIT {
  private final LoadHarness h = new LoadHarness();

  @Test
  void accept_emptyRecordsArray_consumesTheMessageWithANote() {
    FileIntake.Result result = h.intake(h.coordinator())
        .accept(List.of(new QueueMessage("m-empty", LoadHarness.QUEUE_ARN, "{\"Records\":[]}")), h.now());

    assertThat(result.failedMessageIds()).isEmpty();
    assertThat(result.notes()).singleElement().satisfies(note -> {
      assertThat(note.messageId()).isEqualTo("m-empty");
      assertThat(note.failed()).isFalse();
      assertThat(note.detail()).contains("empty Records array");
    });
    assertThat(h.tracker.work(LoadHarness.TABLE)).isEmpty();
  }
}
