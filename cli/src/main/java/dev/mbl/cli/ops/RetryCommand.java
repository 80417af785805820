package dev.mbl.cli.ops;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.load.LoadEvent;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.TableRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mbl retry TABLE --all-quarantined | s3://...}: re-drives quarantined files through the
 * normal protocol, exactly once each: the tracker re-ledgers the same object version (a condition
 * admits it only while it is still QUARANTINED, so a second retry finds it pending and skips it),
 * with the table's current config, then a load starts.
 */
@Command(name = "retry", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = {"Re-drive quarantined files after their cause is fixed (config, table, data): each loads through "
        + "the normal protocol, once. Use --wait to follow them until they load or are quarantined again.",
        "Exit code 1 when a named file was not quarantined or failed again."})
public final class RetryCommand extends OpsCommand {
  @Parameters(index = "0", paramLabel = "TABLE", description = "The table (key, schema.table or table).")
  String table;

  @Option(names = "--all-quarantined", description = "Every quarantined file of the table.")
  boolean all;

  @Parameters(index = "1..*", paramLabel = "S3_URL", description = "Quarantined files to re-drive.")
  List<String> urls = List.of();

  @Option(names = "--wait", description = "Wait until every re-driven file is LOADED or QUARANTINED again (at most "
      + "this ISO-8601 duration, default PT10M when given without value).", arity = "0..1", fallbackValue = "PT10M")
  Duration wait;

  @Override
  int run(OpsSession session) throws InterruptedException {
    if (all == !urls.isEmpty()) {
      throw new UsageException("give either --all-quarantined or the s3:// URLs of quarantined files");
    }
    TableRegistration registration = session.table(table);
    var tracker = session.components().tracker();
    Instant now = session.clock().instant();
    List<LedgerEntry> quarantined = tracker.ledgerEntries(registration.table()).stream()
        .filter(e -> e.state() == FileState.QUARANTINED).toList();
    List<LedgerEntry> chosen = all ? quarantined : pick(quarantined, urls);
    int failed = all ? 0 : urls.size() - chosen.size();
    List<LedgerEntry> redriven = new ArrayList<>();
    for (LedgerEntry entry : chosen) {
      boolean queued = tracker.ledger(registration.table(), objectOf(entry), registration.config(), now, true);
      out().println((queued ? "re-driven  " : "skipped    ") + entry.url()
          + (queued ? "" : " (no longer quarantined: already re-driven)"));
      if (queued) {
        redriven.add(entry);
      }
    }
    List<LoadEvent> events = redriven.isEmpty() ? List.of() : session.components().coordinator()
        .start(registration.table(), now);
    events.stream().filter(e -> e.action().equals("started") || e.action().equals("deferred"))
        .forEach(e -> out().println("load " + e.action() + ": batch " + e.batchId() + " (" + e.files() + " file(s))"));
    out().println(redriven.size() + " file(s) re-driven" + (failed > 0 ? ", " + failed + " not quarantined" : ""));
    out().flush();
    if (wait != null && !redriven.isEmpty()) {
      failed += follow(session, registration, redriven);
    }
    return failed > 0 ? PARTIAL : OK;
  }

  private List<LedgerEntry> pick(List<LedgerEntry> quarantined, List<String> urls) {
    Map<String, List<LedgerEntry>> byUrl = quarantined.stream().collect(Collectors.groupingBy(LedgerEntry::url));
    List<LedgerEntry> chosen = new ArrayList<>();
    for (String url : urls) {
      List<LedgerEntry> found = byUrl.getOrDefault(url, List.of());
      if (found.isEmpty()) {
        spec.commandLine().getErr().println("not quarantined in " + table + ": " + url + " (see `mbl file " + url + "`)");
      }
      chosen.addAll(found);
    }
    return chosen;
  }

  /** Polls the ledger until every file settled or the wait ends; returns how many did not load. */
  private int follow(OpsSession session, TableRegistration registration, List<LedgerEntry> files)
      throws InterruptedException {
    Map<String, FileState> states = Progress.follow(out(), wait, () -> {
      Map<String, LedgerEntry> now = session.components().tracker().ledgerEntries(registration.table()).stream()
          .collect(Collectors.toMap(LedgerEntry::fileId, Function.identity()));
      return files.stream().collect(Collectors.toMap(LedgerEntry::url, f -> now.get(f.fileId()).state(), (a, b) -> a));
    }, now -> "progress: " + now.values().stream().filter(FileState::terminal).count() + "/" + now.size()
        + " settled " + now, now -> now.values().stream().allMatch(FileState::terminal),
        "still loading after " + wait + "; `mbl status " + table + "` shows where they are");
    return (int) states.values().stream().filter(s -> s != FileState.LOADED).count();
  }

  /** The object version a ledger entry stands for (its version token is e:eTag, v:versionId or s:sequencer). */
  static S3ObjectRef objectOf(LedgerEntry e) {
    String token = e.versionToken();
    String value = token.length() > 2 ? token.substring(2) : null;
    return new S3ObjectRef(e.bucket(), e.key(), e.size(), token.startsWith("e:") ? value : null,
        token.startsWith("v:") ? value : null, token.startsWith("s:") ? value : null);
  }
}
