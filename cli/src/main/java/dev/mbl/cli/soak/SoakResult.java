package dev.mbl.cli.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a soak did and found: figures, faults injected by kind, violations and how to replay it. */
public record SoakResult(Soak.Options options, int versions, FaultPlan plan, Duration elapsed,
    List<String> violations, Map<String, Long> figures) {
  public SoakResult {
    violations = List.copyOf(violations);
    figures = Map.copyOf(figures);
  }

  public boolean ok() {
    return violations.isEmpty();
  }

  /** The command that runs this soak again with the same seed and fault rates. */
  public String replayCommand() {
    String rates = options.rates().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> "--rate " + e.getKey().name().toLowerCase(java.util.Locale.ROOT) + "=" + e.getValue())
        .collect(Collectors.joining(" "));
    return "./mbl soak --files " + options.files() + " --tables " + options.tables() + " --seed " + options.seed()
        + (options.everyKindOnce() ? " --every-kind-once" : "") + " " + rates;
  }

  public void print(PrintStream out) {
    out.printf("soak: %d files (%d object versions) over %d tables in %d s, seed %d%n", options.files(), versions,
        options.tables(), elapsed.toSeconds(), options.seed());
    out.println("faults injected:");
    for (FaultKind kind : FaultKind.values()) {
      out.printf("  %-20s %6d%n", kind.name().toLowerCase(java.util.Locale.ROOT), plan.injected(kind));
    }
    out.println("outcome:");
    figures.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.printf("  %-20s %6d%n", e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
    out.printf("violations: %d%n", violations.size());
    violations.stream().limit(50).forEach(v -> out.println("  VIOLATION " + v));
    if (!ok()) {
      out.println("replay: " + replayCommand());
    }
  }
}
