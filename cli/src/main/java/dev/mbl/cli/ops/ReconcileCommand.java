package dev.mbl.cli.ops;

import dev.mbl.load.LoadEvent;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code mbl reconcile}: the scheduled repair, once, now (when the schedule is not running). */
@Command(name = "reconcile", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = "Run NextLoader's scheduled repair once from here: settle or roll back every lock past its lease, "
        + "start loads of pending files. Safe to run any time; prints what it did.")
public final class ReconcileCommand extends OpsCommand {
  @Override
  int run(OpsSession session) {
    Instant now = session.clock().instant();
    List<LoadEvent> events = session.components().coordinator().reconcile(now);
    Table t = new Table("TABLE", "ACTION", "BATCH", "FILES", "DETAIL");
    events.forEach(e -> t.row(e.table(), e.action(), e.batchId(), e.files(), e.detail()));
    if (json()) {
      out().println(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(events.stream()
          .map(e -> java.util.Map.of("table", String.valueOf(e.table()), "action", e.action(),
              "batch_id", String.valueOf(e.batchId()), "detail", String.valueOf(e.detail()))).toList()).toPrettyString());
    } else {
      t.print(out());
    }
    out().flush();
    return events.stream().anyMatch(e -> e.action().equals("error")) ? PARTIAL : OK;
  }
}
