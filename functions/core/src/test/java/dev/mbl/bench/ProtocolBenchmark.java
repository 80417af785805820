package dev.mbl.bench;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.event.StatementEvent;
import dev.mbl.load.FileIntake;
import dev.mbl.load.LoadCoordinator;
import dev.mbl.load.LoadEvent;
import dev.mbl.load.QueueMessage;
import dev.mbl.testing.LoadHarness;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints how long the protocol's DynamoDB work takes against DynamoDB Local in-process: ledgering
 * files through the intake (10 per SQS message), starting one batch of N files (claim, manifest,
 * submit), and settling it. Not a test: run it by hand (command in docs/performance.md).
 * Arguments: files (default 1000), rounds (default 3).
 */
public final class ProtocolBenchmark {
  private ProtocolBenchmark() {}

  public static void main(String[] args) {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.printf("files=%d rounds=%d (DynamoDB Local + S3Proxy in-process, %d cores)%n", files, rounds,
        Runtime.getRuntime().availableProcessors());
    for (int round = 1; round <= rounds; round++) {
      LoadHarness h = new LoadHarness();
      List<S3ObjectRef> objects = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        objects.add(h.upload(null));
      }
      LoadCoordinator coordinator = h.coordinator();
      FileIntake intake = h.intake(coordinator);
      // Hold the lock so ledgering is measured alone: the first message starts a batch of its 10 files.
      long t0 = System.nanoTime();
      for (int i = 0; i < files; i += 10) {
        List<QueueMessage> batch = List.of(h.message("m" + i, objects.subList(i, Math.min(i + 10, files))
            .toArray(S3ObjectRef[]::new)));
        intake.accept(batch, h.now());
      }
      long ledgered = System.nanoTime();
      List<LoadEvent> settled = new ArrayList<>();
      for (StatementEvent event : h.api.finishAll()) {
        settled.addAll(coordinator.onStatementEvent(event, h.now()));
      }
      long started = System.nanoTime();
      int big = settled.stream().filter(e -> e.action().equals("started")).mapToInt(LoadEvent::files).sum();
      for (StatementEvent event : h.api.finishAll()) {
        coordinator.onStatementEvent(event, h.now());
      }
      long done = System.nanoTime();
      h.assertInvariant();
      System.out.printf("round %d: ledger %d files %.0f ms (%.0f files/s); settle 10 + start %d-file batch %.0f ms;"
              + " settle %d files %.0f ms%n", round, files, ms(t0, ledgered), files / ((ledgered - t0) / 1e9), big,
          ms(ledgered, started), big, ms(started, done));
    }
    System.exit(0);
  }

  private static double ms(long from, long to) {
    return (to - from) / 1e6;
  }
}
