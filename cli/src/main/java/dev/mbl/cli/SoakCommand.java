package dev.mbl.cli;

import dev.mbl.cli.soak.FaultKind;
import dev.mbl.cli.soak.Soak;
import dev.mbl.cli.soak.SoakResult;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mbl soak}: the real handlers on the local stack under seeded faults, then the
 * exactly-once invariants. Exit 0 only with no violation; a violation prints the replay command.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Load many files locally while injecting faults, then check every file loaded exactly once.")
final class SoakCommand implements Callable<Integer> {
  /** Default fault rates (per file, message, invocation or submission as the kind says). */
  static final Map<FaultKind, Double> DEFAULT_RATES = defaults();

  @Option(names = "--files", defaultValue = "10000", description = "Files to upload (default ${DEFAULT-VALUE}).")
  int files;

  @Option(names = "--tables", defaultValue = "4",
      description = "Tables, alternating append and merge (default ${DEFAULT-VALUE}).")
  int tables;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seed of the data and of the fault schedule (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate", description = "A fault rate, e.g. --rate crash=0.02 (kinds: duplicate_delivery, crash, "
      + "lost_event, throttling, submit_5xx, submit_unknown, serializable_1023, bad_file, overwrite). Defaults: "
      + "duplicates 0.1, crash 0.02 per invocation, lost events 0.05, Data API 0.05 in all (4 kinds), bad files "
      + "0.01, overwrites 0.02.")
  Map<String, Double> rates = Map.of();

  @Option(names = "--every-kind-once", description = "Each fault kind fires at its first chance, then at its rate.")
  boolean everyKindOnce;

  @Option(names = "--settle-timeout", defaultValue = "PT10M",
      description = "Give up settling after (default ${DEFAULT-VALUE}).")
  Duration settleTimeout;

  @Option(names = "--log", defaultValue = ".mbl/soak.log",
      description = "The functions' JSON log (default ${DEFAULT-VALUE}).")
  Path log;

  @Override
  public Integer call() throws Exception {
    Map<FaultKind, Double> chosen = new EnumMap<>(DEFAULT_RATES);
    rates.forEach((kind, rate) -> chosen.put(FaultKind.valueOf(kind.toUpperCase(Locale.ROOT)), rate));
    Files.createDirectories(log.toAbsolutePath().getParent());
    try (PrintStream functionLog = new PrintStream(new FileOutputStream(log.toFile(), false), true)) {
      SoakResult result = Soak.run(new Soak.Options(files, tables, seed, chosen, everyKindOnce, settleTimeout, null,
          functionLog, System.out));
      result.print(System.out);
      return result.ok() ? 0 : 1;
    }
  }

  private static Map<FaultKind, Double> defaults() {
    Map<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
    rates.put(FaultKind.DUPLICATE_DELIVERY, 0.10);
    rates.put(FaultKind.CRASH, 0.02);
    rates.put(FaultKind.LOST_EVENT, 0.05);
    rates.put(FaultKind.THROTTLING, 0.0125);
    rates.put(FaultKind.SUBMIT_5XX, 0.0125);
    rates.put(FaultKind.SUBMIT_UNKNOWN, 0.0125);
    rates.put(FaultKind.SERIALIZABLE_1023, 0.0125);
    rates.put(FaultKind.BAD_FILE, 0.01);
    rates.put(FaultKind.OVERWRITE, 0.02);
    return Map.copyOf(rates);
  }
}
