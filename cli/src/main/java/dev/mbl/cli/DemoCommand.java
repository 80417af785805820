package dev.mbl.cli;

import dev.mbl.cli.demo.DemoData;
import dev.mbl.cli.demo.DemoReport;
import dev.mbl.local.LocalStack;
import dev.mbl.local.latency.LatencyProfile;
import dev.mbl.load.TableKey;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code mbl demo}: the whole pipeline on this machine. Starts the local stack, creates the
 * sample tables, uploads realistic files in bursts (CSV, gzipped JSON, Parquet; updates,
 * duplicate keys, a re-sent file and one bad file), shows progress per table, then prints a
 * summary and checks the warehouse holds exactly the expected rows. Exit 0 only if it does.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline locally on generated files and check the result.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--seed", defaultValue = "42", description = "Data generator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--bursts", defaultValue = "3", description = "Upload bursts (default ${DEFAULT-VALUE}).")
  int bursts;

  @Option(names = "--files", defaultValue = "15",
      description = "Files per table per burst (default ${DEFAULT-VALUE}).")
  int files;

  @Option(names = "--timeout", defaultValue = "PT100S", description = "Give up after (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--log", defaultValue = ".mbl/demo.log",
      description = "Where the functions' JSON log lines go (default ${DEFAULT-VALUE}).")
  Path log;

  @Option(names = "--latency", description = LatencyOption.DESCRIPTION, defaultValue = "fast",
      converter = LatencyOption.class)
  LatencyProfile latency;

  @Override
  public Integer call() throws Exception {
    Instant begin = Instant.now();
    Files.createDirectories(log.toAbsolutePath().getParent());
    Path s3Folder = Files.createTempDirectory("mbl-demo-s3-");
    try (PrintStream functionLog = new PrintStream(new FileOutputStream(log.toFile(), false), true);
        LocalStack stack = LocalStack.builder().latency(latency).s3Directory(s3Folder).out(functionLog)
            .reconcileEvery(Duration.ofSeconds(5)).batch(10, Duration.ofMillis(300)).pollWait(Duration.ofSeconds(1))
            .start()) {
      System.out.printf("local stack up in %d ms (S3, SQS, DynamoDB, PostgreSQL + Data API emulator, event bus)%s%n",
          stack.startupTime().toMillis(), latency.isFast() ? "" : ", latency " + latency.name());
      SampleTables.install(stack, SampleTables.samplesFolder());
      DemoData data = DemoData.generate(seed, bursts, files);
      DynamoDbTracker tracker = new DynamoDbTracker(stack.dynamo(), stack.settings().trackerTable(),
          Duration.ofDays(30));
      Map<String, Instant> uploaded = upload(stack.s3(), data, tracker);
      boolean settled = awaitSettled(tracker, uploaded.size(), begin.plus(timeout));
      DemoReport report = DemoReport.collect(stack, tracker, data, uploaded, Duration.between(begin, Instant.now()));
      report.print(System.out, log.toAbsolutePath());
      if (!settled) {
        System.out.println("FAILED: not every file settled within " + timeout);
        return 1;
      }
      return report.ok() ? 0 : 1;
    } finally {
      Folders.delete(s3Folder);
    }
  }

  private Map<String, Instant> upload(S3Client s3, DemoData data, DynamoDbTracker tracker) throws Exception {
    Map<String, Instant> uploaded = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      int burstNo = 0;
      for (List<DemoData.DemoFile> burst : data.bursts()) {
        burstNo++;
        List<Future<?>> puts = new ArrayList<>();
        for (DemoData.DemoFile file : burst) {
          puts.add(pool.submit(() -> {
            s3.putObject(p -> p.bucket(SampleTables.LANDING).key(file.key()), RequestBody.fromBytes(file.body()));
            uploaded.put(file.key(), Instant.now());
          }));
        }
        for (Future<?> put : puts) {
          put.get();
        }
        System.out.printf("burst %d: uploaded %d files%n", burstNo, burst.size());
        progress(tracker);
        Waits.pause(Duration.ofSeconds(1));
      }
      // The same bytes again under the same key: S3 notifies again, the ledger must drop it.
      DemoData.DemoFile again = data.bursts().get(0).get(1); // a clicks file: appended, so a double load would show
      s3.putObject(p -> p.bucket(SampleTables.LANDING).key(again.key()), RequestBody.fromBytes(again.body()));
      System.out.printf("re-sent %s (a duplicate notification: must load once)%n", again.key());
    } finally {
      pool.shutdownNow();
    }
    return uploaded;
  }

  private static boolean awaitSettled(DynamoDbTracker tracker, int files, Instant deadline) {
    while (Instant.now().isBefore(deadline)) {
      int[] totals = progress(tracker);
      if (totals[0] + totals[1] == 0 && totals[2] + totals[3] >= files) {
        return true;
      }
      Waits.pause(Duration.ofSeconds(1));
    }
    return false;
  }

  /** Prints one progress line per table; returns pending, loading, loaded, quarantined totals. */
  static int[] progress(DynamoDbTracker tracker) {
    int[] totals = new int[4];
    StringBuilder line = new StringBuilder();
    for (String table : DemoReport.TABLES) {
      int[] counts = new int[FileState.values().length];
      for (LedgerEntry entry : tracker.ledgerEntries(TableKey.parse("analytics/dev/" + table))) {
        counts[entry.state().ordinal()]++;
      }
      for (int i = 0; i < 4; i++) {
        totals[i] += counts[i];
      }
      line.append(String.format("  %-17s pending %3d  loading %3d  loaded %3d  quarantined %d%n", table,
          counts[FileState.PENDING.ordinal()], counts[FileState.LOADING.ordinal()],
          counts[FileState.LOADED.ordinal()], counts[FileState.QUARANTINED.ordinal()]));
    }
    System.out.print(line);
    return totals;
  }
}
