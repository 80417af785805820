package dev.mbl.cli.bench;

import dev.mbl.local.latency.LatencyProfile;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mbl bench}: per latency profile, on a fresh local stack, the burst, the floor for the
 * same files and a steady trickle; prints every figure of issue 12 and its goals. Exit 0 when
 * every run completed with the right rows (goals met or not); 1 when a run failed; 252 for bad options.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure mbl locally: a burst against the floor (one COPY per table), a steady trickle, "
        + "and the AWS requests per file, per latency profile.")
public final class BenchCommand implements Callable<Integer> {
  /** Exit code of a command that cannot run as given (as the ops commands and the AWS CLI's usage errors). */
  static final int USAGE = 252;

  /** What the report is printed as. */
  enum Output { text, json }

  @Option(names = "--latency", defaultValue = "both",
      description = "fast, realistic or both (fast then realistic, a fresh stack each; default ${DEFAULT-VALUE}).")
  String latency;

  @Option(names = "--files", defaultValue = "2000", description = "Files in the burst (default ${DEFAULT-VALUE}).")
  int files;

  @Option(names = "--tables", defaultValue = "4",
      description = "Merge tables, CSV, JSON and Parquet in turn (default ${DEFAULT-VALUE}).")
  int tables;

  @Option(names = "--trickle-rate", defaultValue = "5",
      description = "Trickle files per second (default ${DEFAULT-VALUE}).")
  double trickleRate;

  @Option(names = "--trickle-seconds", defaultValue = "60",
      description = "Trickle duration in seconds (default ${DEFAULT-VALUE}).")
  int trickleSeconds;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the data (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--upload-threads", defaultValue = "16",
      description = "Parallel uploads (default ${DEFAULT-VALUE}).")
  int uploadThreads;

  @Option(names = "--mapping", defaultValue = "deployed", description = "How MicrobatchLoader is fed: deployed (the "
      + "CDK defaults, what production runs: 100 messages, the batching window, 2 per queue) or local (as mbl local "
      + "up: 10 messages, no window, 2 invocations at once) (default ${DEFAULT-VALUE}).")
  Mapping mapping;

  @Option(names = "--timeout", defaultValue = "PT10M",
      description = "Give up waiting for a phase's rows after (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--output", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--log", defaultValue = ".mbl/bench.log",
      description = "The functions' JSON log (default ${DEFAULT-VALUE}).")
  Path log;

  @Override
  public Integer call() throws Exception {
    List<LatencyProfile> profiles;
    // With --output json the progress lines go to stderr, so stdout is one JSON document.
    PrintStream progress = output == Output.json ? System.err : System.out;
    Bench.Options options;
    try {
      profiles = profiles(latency);
      options = new Bench.Options(files, tables, trickleRate, trickleSeconds, seed, uploadThreads, mapping, timeout,
          new PrintStream(OutputStream.nullOutputStream()), progress);
    } catch (IllegalArgumentException usage) {
      System.err.println("mbl bench: " + usage.getMessage());
      return USAGE;
    }
    Files.createDirectories(log.toAbsolutePath().getParent());
    List<BenchResult> results = new ArrayList<>();
    try (PrintStream functionLog = new PrintStream(new FileOutputStream(log.toFile(), false), true)) {
      for (LatencyProfile profile : profiles) {
        results.add(Bench.run(options.withFunctionLog(functionLog), profile));
      }
    } catch (IllegalStateException failed) {
      // A run that did not complete, or rows that do not match: the figures would mean nothing.
      System.err.println("FAILED: " + failed.getMessage() + " (functions' log: " + log.toAbsolutePath() + ")");
      return 1;
    }
    if (output == Output.json) {
      BenchReport.printJson(results, System.out);
    } else {
      BenchReport.print(results, System.out);
    }
    return 0;
  }

  static List<LatencyProfile> profiles(String latency) {
    if (latency.trim().equalsIgnoreCase("both")) {
      return List.of(LatencyProfile.FAST, LatencyProfile.REALISTIC);
    }
    try {
      return List.of(LatencyProfile.named(latency));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException(unknown.getMessage() + "; or both (fast, then realistic)", unknown);
    }
  }
}
