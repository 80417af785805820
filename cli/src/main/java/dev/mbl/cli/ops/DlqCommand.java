package dev.mbl.cli.ops;

import dev.mbl.tracker.TableRegistration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mbl dlq TABLE [--redrive]}: the table queue's dead letters, and moving them back. */
@Command(name = "dlq", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = {"Show the dead letters of the table's queue (messages MicrobatchLoader failed on repeatedly), or "
        + "move them back to the queue with --redrive once the cause is fixed; files already ledgered are "
        + "recognised and not loaded twice.", "Exit code 1 when dead letters remain (without --redrive)."})
public final class DlqCommand extends OpsCommand {
  @Parameters(paramLabel = "TABLE", description = "The table (key, schema.table or table).")
  String table;

  @Option(names = "--redrive", description = "Move every dead letter back to the table's queue.")
  boolean redrive;

  @Option(names = "--max", description = "Show at most this many messages (default ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int max;

  @Override
  int run(OpsSession session) {
    TableRegistration registration = session.table(table);
    DeadLetters dlq = new DeadLetters(session);
    if (redrive) {
      int moved = dlq.redrive(registration, n -> {
        if (n % 10 == 0) {
          out().println("moved " + n);
          out().flush();
        }
      });
      out().println(json() ? "{\"table\":\"" + registration.table() + "\",\"redriven\":" + moved + "}"
          : "moved " + moved + " message(s) back to the queue of " + registration.table());
      out().flush();
      return OK;
    }
    Integer depth = dlq.depth(registration);
    var messages = dlq.peek(registration, max, 1);
    if (json()) {
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      var root = json.createObjectNode().put("table", registration.table().toString())
          .put("dead_letters", depth == null ? 0 : depth);
      var list = root.putArray("messages");
      messages.forEach(m -> list.addObject().put("message_id", m.messageId()).put("body", m.body()));
      out().println(root.toPrettyString());
    } else {
      out().println((depth == null ? 0 : depth) + " dead letter(s) for " + registration.table());
      Table t = new Table("MESSAGE", "BODY");
      messages.forEach(m -> t.row(m.messageId(), m.body().length() > 160 ? m.body().substring(0, 160) + "..."
          : m.body()));
      t.print(out());
    }
    out().flush();
    return depth != null && depth > 0 ? PARTIAL : OK;
  }
}
