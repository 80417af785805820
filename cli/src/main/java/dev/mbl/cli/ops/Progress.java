package dev.mbl.cli.ops;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Follows a long operation for {@code --wait}: reads a snapshot every half second, prints a
 * progress line whenever it changes, and stops when it is done or the wait has passed.
 */
final class Progress {
  private static final Duration POLL = Duration.ofMillis(500);

  private Progress() {}

  /**
   * @return the last snapshot read; {@code done} tells the caller whether it finished in time
   */
  static <T> T follow(PrintWriter out, Duration wait, Supplier<T> snapshot, Function<T, String> line,
      Predicate<T> done, String timedOut) throws InterruptedException {
    Instant deadline = Instant.now().plus(wait);
    T last = null;
    while (true) {
      T now = snapshot.get();
      if (!Objects.equals(now, last)) {
        out.println(line.apply(now));
        out.flush();
        last = now;
      }
      if (done.test(now)) {
        return now;
      }
      if (Instant.now().isAfter(deadline)) {
        out.println(timedOut);
        out.flush();
        return now;
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}
