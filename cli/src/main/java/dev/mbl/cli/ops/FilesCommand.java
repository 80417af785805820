package dev.mbl.cli.ops;

import dev.mbl.health.Durations;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.TableRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mbl files TABLE [--state S] [--since D]}: the table's ledger, newest first. */
@Command(name = "files", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = "The table's files from the ledger, newest first: state, arrival, batch, reason.")
public final class FilesCommand extends OpsCommand {
  @Parameters(paramLabel = "TABLE", description = "The table (key, schema.table or table).")
  String table;

  @Option(names = "--state", description = "Only files in this state: ${COMPLETION-CANDIDATES}.")
  FileState state;

  @Option(names = "--since", description = "Only files that arrived within this ISO-8601 duration (PT6H, P1D) or "
      + "since this instant (2026-11-29T10:00:00Z).")
  String since;

  @Override
  int run(OpsSession session) {
    TableRegistration registration = session.table(table);
    Instant now = session.clock().instant();
    Instant from = since == null ? Instant.EPOCH : parseSince(since, now);
    List<LedgerEntry> entries = session.components().tracker().ledgerEntries(registration.table()).stream()
        .filter(e -> state == null || e.state() == state).filter(e -> !e.arrivedAt().isBefore(from))
        .sorted(Comparator.comparing(LedgerEntry::arrivedAt).reversed()).toList();
    if (json()) {
      out().println(FileCommand.toJson(entries));
    } else {
      Table t = new Table("STATE", "FILE", "ARRIVED", "BATCH", "REASON");
      entries.forEach(e -> t.row(e.state(), e.url(), Durations.age(e.arrivedAt(), now) + " ago", e.batchId(),
          e.reason() == null ? "-" : e.reason().lines().findFirst().orElse("")));
      t.print(out());
      out().println(entries.size() + " file(s)");
    }
    out().flush();
    return OK;
  }

  static Instant parseSince(String value, Instant now) {
    try {
      return value.startsWith("P") ? now.minus(Duration.parse(value)) : Instant.parse(value);
    } catch (java.time.format.DateTimeParseException bad) {
      throw new UsageException("--since '" + value + "' is neither an ISO-8601 duration (PT6H, P1D) nor an instant "
          + "(2026-11-29T10:00:00Z)");
    }
  }
}
