package dev.mbl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.cli.soak.FaultKind;
import dev.mbl.cli.soak.Soak;
import dev.mbl.cli.soak.SoakResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The short soak of CI: a few hundred files through the real handlers on the local stack with
 * every fault kind injected (rates raised, and each kind fires at its first chance, so every kind
 * occurs for certain), two fixed seeds; every invariant must hold. The full soak is a benchmark (docs/performance.md).
 */
class SoakIT {
  @ParameterizedTest
  @ValueSource(longs = {11, 12})
  void soak_everyFaultKind_everyVersionLoadedOnceOrQuarantinedOrSupersededAndNothingStuck(long seed) throws Exception {
    Map<FaultKind, Double> rates = new EnumMap<>(SoakCommand.DEFAULT_RATES);
    rates.put(FaultKind.CRASH, 0.10);
    rates.put(FaultKind.LOST_EVENT, 0.15);
    rates.put(FaultKind.THROTTLING, 0.08);
    rates.put(FaultKind.SUBMIT_5XX, 0.08);
    rates.put(FaultKind.SUBMIT_UNKNOWN, 0.08);
    rates.put(FaultKind.SERIALIZABLE_1023, 0.08);
    rates.put(FaultKind.BAD_FILE, 0.02);
    rates.put(FaultKind.OVERWRITE, 0.05);
    // Kept for a failure's diagnosis: its path is in the report.
    Path log = Files.createTempFile("mbl-soak-it-" + seed + "-", ".log");
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8);
        PrintStream functionLog = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
      out.println("functions' log: " + log);
      SoakResult result = Soak.run(new Soak.Options(300, 4, seed, rates, true, Duration.ofMinutes(3), null,
          functionLog, out));
      result.print(out);

      assertThat(result.violations()).as(report.toString(StandardCharsets.UTF_8)).isEmpty();
      for (FaultKind kind : FaultKind.values()) {
        assertThat(result.plan().injected(kind)).as("%s injected; report:%n%s", kind,
            report.toString(StandardCharsets.UTF_8)).isPositive();
      }
      assertThat(result.figures()).containsKeys("versions LOADED", "versions QUARANTINED", "versions SUPERSEDED");
      Files.deleteIfExists(log);
    }
  }
}
