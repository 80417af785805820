package dev.mbl.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.testing.LoadHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: times the shaded jar's handlers in fresh JVMs for docs/performance.md. Per run and
 * jar: the three constructors (with {@code +prime}, initialised as for a SnapStart snapshot, so each
 * primes: {@link Priming}; its own time is printed apart, and the constructor's includes it), then
 * two rounds of one SQS message (MicrobatchLoader) and its completion (NextLoader), each step's
 * wall time printed. Arguments: runs, then one or more {@code label=path/to/jar[+prime]}; a jar
 * older than the priming ignores {@code +prime}. See docs/performance.md
 * for the command (it needs the module's test class path and the sqlite4java natives).
 */
public final class FirstInvokeTiming {
  private FirstInvokeTiming() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    try (StandInWarehouse warehouse = StandInWarehouse.start()) {
      for (int run = 1; run <= runs; run++) {
        for (int i = 1; i < args.length; i++) {
          boolean prime = args[i].endsWith("+prime");
          String spec = prime ? args[i].substring(0, args[i].length() - "+prime".length()) : args[i];
          String label = spec.substring(0, spec.indexOf('='));
          Path jar = Path.of(spec.substring(spec.indexOf('=') + 1));
          System.out.println(label + (prime ? "+prime" : "") + " run " + run + ": "
              + String.join(" ", time(jar, prime, warehouse)));
        }
      }
    }
    System.exit(0); // the stand-ins' non-daemon threads
  }

  private static List<String> time(Path jar, boolean prime, StandInWarehouse warehouse) throws Exception {
    LoadHarness h = new LoadHarness();
    List<String> steps = new ArrayList<>();
    Path work = Files.createTempDirectory("first-invoke");
    try (DriverProcess driver = DriverProcess.start(jar, work, h.tracker.tableName(), warehouse.dataApiEndpoint(),
        prime)) {
      for (int i = 0; i < 3; i++) {
        JsonNode constructed = driver.await("construct");
        steps.add(constructed.path("handler").asText().replace("Handler", "") + "()=" + constructed.path("ms"));
      }
      for (JsonNode primed : driver.logLines("primed")) {
        steps.add("prime(" + primed.path("function").asText() + ")=" + primed.path("ms"));
      }
      for (int round = 1; round <= 2; round++) {
        S3ObjectRef file = h.upload(null);
        JsonNode sqs = driver.send("sqs", DriverProcess.sqsRecords(h.message("m-" + round, file)));
        JsonNode next = driver.send("next", warehouse.awaitStatusEvent(DriverProcess.STEP_DEADLINE));
        int loaded = next.path("answer").path("actions").path("loaded").asInt();
        steps.add("sqs#" + round + "=" + sqs.path("ms") + " next#" + round + "=" + next.path("ms")
            + (loaded == 1 ? "" : " (loaded " + loaded + "!)"));
      }
    }
    return steps;
  }
}
