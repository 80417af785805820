package dev.mbl.local.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DelayedInOrderTest {
  @Test
  void submit_laterPauseEndsFirst_actionsStillRunInSubmissionOrder() throws Exception {
    CountDownLatch secondPaused = new CountDownLatch(1);
    AtomicInteger pauses = new AtomicInteger();
    List<String> ran = new CopyOnWriteArrayList<>();
    // The first pause to start waits for the second one to end: the second action is ready first.
    DelayedInOrder delayed = new DelayedInOrder(() -> {
      if (pauses.incrementAndGet() == 1) {
        await(secondPaused);
      } else {
        secondPaused.countDown();
      }
    }, "test-delay");

    delayed.submit(() -> ran.add("first"));
    dev.mbl.local.Eventually.await(java.time.Duration.ofSeconds(10), () -> pauses.get() == 1);
    delayed.submit(() -> ran.add("second"));
    delayed.close();

    assertThat(pauses.get()).isEqualTo(2);
    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void submit_actionFails_laterActionsStillRun() {
    List<String> ran = new CopyOnWriteArrayList<>();
    DelayedInOrder delayed = new DelayedInOrder(() -> { }, "test-delay");

    delayed.submit(() -> {
      throw new IllegalStateException("target down");
    });
    delayed.submit(() -> ran.add("after"));
    delayed.close();

    assertThat(ran).containsExactly("after");
  }

  @Test
  void submit_afterClose_rejected() {
    DelayedInOrder delayed = new DelayedInOrder(() -> { }, "test-delay");
    delayed.close();

    assertThatThrownBy(() -> delayed.submit(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the second pause never came");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
