package dev.mbl.cli.bench;

import dev.mbl.local.latency.LatencyProfile;
import java.io.FileOutputStream;
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
 * every run completed with the right rows (goals met or not); 1 when a run failed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure mbl locally: a burst against the floor (one COPY per table), a steady trickle, "
        + "and the AWS requests per file, per latency profile.")
public final class BenchCommand implements Callable<Integer> {
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

  @Option(names = "--timeout", defaultValue = "PT10M",
      description = "Give up waiting for a phase's rows after (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--output", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--log", defaultValue = ".mbl/bench.log",
      description = "The functions' JSON log (default ${DEFAULT-VALUE}).")
  Path log;

  @Override
  public Integer call() throws Exception {
    List<LatencyProfile> profiles = profiles(latency);
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException("unknown --output '" + output + "': use text or json");
    }
    Files.createDirectories(log.toAbsolutePath().getParent());
    List<BenchResult> results = new ArrayList<>();
    // With --output json the progress lines go to stderr, so stdout is one JSON document.
    PrintStream progress = output.equals("json") ? System.err : System.out;
    try (PrintStream functionLog = new PrintStream(new FileOutputStream(log.toFile(), false), true)) {
      for (LatencyProfile profile : profiles) {
        results.add(Bench.run(new Bench.Options(files, tables, trickleRate, trickleSeconds, seed, uploadThreads,
            timeout, functionLog, progress), profile));
      }
    } catch (IllegalStateException failed) {
      // A run that did not complete, or rows that do not match: the figures would mean nothing.
      System.err.println("FAILED: " + failed.getMessage() + " (functions' log: " + log.toAbsolutePath() + ")");
      return 1;
    }
    if (output.equals("json")) {
      BenchReport.printJson(results, System.out);
    } else {
      BenchReport.print(results, System.out);
    }
    return 0;
  }

  static List<LatencyProfile> profiles(String latency) {
    return latency.trim().equalsIgnoreCase("both") ? List.of(LatencyProfile.FAST, LatencyProfile.REALISTIC)
        : List.of(LatencyProfile.named(latency));
  }
}
