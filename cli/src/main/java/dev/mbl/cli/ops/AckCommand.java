package dev.mbl.cli.ops;

import dev.mbl.tracker.TableRegistration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mbl ack TABLE}: the quarantined files seen so far no longer make the table CRITICAL. */
@Command(name = "ack", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = "Acknowledge the table's quarantined files (seen, accepted or handled elsewhere): they stop making "
        + "it CRITICAL. Files quarantined later count again. The files stay QUARANTINED; `mbl retry` re-drives them.")
public final class AckCommand extends OpsCommand {
  @Parameters(paramLabel = "TABLE", description = "The table (key, schema.table or table).")
  String table;

  @Override
  int run(OpsSession session) {
    TableRegistration registration = session.table(table);
    Instant now = session.clock().instant();
    session.status().acknowledge(registration.table(), now);
    var health = StatusCommand.one(session, registration, now, new DeadLetters(session));
    out().println(json() ? "{\"table\":\"" + registration.table() + "\",\"acknowledged_at\":\"" + now
        + "\",\"health\":\"" + health.health() + "\"}"
        : "acknowledged quarantined files of " + registration.table() + " up to " + now + "; health now "
            + health.health() + ": " + health.reason());
    out().flush();
    return OK;
  }
}
