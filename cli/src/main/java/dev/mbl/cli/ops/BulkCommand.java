package dev.mbl.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.load.BulkLoad;
import dev.mbl.load.PathTemplate;
import dev.mbl.load.TableKey;
import dev.mbl.tracker.TableRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mbl bulk}: BulkLoader's work from here, through the same {@link BulkLoad}: the seed's
 * path-list input file, or {@code --table T --prefix s3://...} (date placeholders resolve against
 * {@code --date}); {@code --dry-run} lists what would load.
 */
@Command(name = "bulk", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = {"Load whole prefixes through the same protocol as BulkLoader: files already ledgered are skipped "
        + "(unless --force). Input: the seed's path-list JSON file, or --table with --prefix.",
        "Date placeholders such as {yesterday:yyyy/MM/dd} resolve against --date (default today, UTC)."})
public final class BulkCommand extends OpsCommand {
  @Parameters(arity = "0..1", paramLabel = "INPUT.json", description = "BulkLoader input (seed path list or tables).")
  Path input;

  @Option(names = "--table", description = "The registered table to load into (with --prefix).")
  String table;

  @Option(names = "--prefix", paramLabel = "S3_URL", description = "s3://bucket/prefix/ to list (with --table).")
  String prefix;

  @Option(names = "--date", description = "Resolve date placeholders as if today were this date (yyyy-MM-dd).")
  LocalDate date;

  @Option(names = "--force", description = "Also load files already LOADED or QUARANTINED.")
  boolean force;

  @Option(names = "--dry-run", description = "List what would load; change nothing.")
  boolean dryRun;

  @Option(names = "--wait", arity = "0..1", fallbackValue = "PT30M", description = "Follow the loads until no file "
      + "of the tables waits (at most this ISO-8601 duration; PT30M when given without value).")
  java.time.Duration wait;

  @Override
  int run(OpsSession session) throws Exception {
    Instant now = date == null ? session.clock().instant() : date.atStartOfDay().toInstant(ZoneOffset.UTC);
    if (dryRun) {
      return dryRun(session, now);
    }
    byte[] bytes = inputBytes(session);
    out().println("bulk: listing and ledgering ...");
    out().flush();
    BulkLoad.Summary summary = session.components().bulk().run(bytes, now);
    Table t = new Table("TABLE", "PATH", "LISTED", "ENQUEUED", "SKIPPED");
    summary.paths().forEach(p -> t.row(p.table(), p.path(), p.listed(), p.enqueued(), p.skipped()));
    t.print(out());
    summary.events().stream().filter(e -> e.action().equals("started"))
        .forEach(e -> out().println("load started: " + e.table() + " batch " + e.batchId() + " (" + e.files()
            + " files); the rest follow batch by batch" + (wait == null ? ", `mbl status` shows progress" : "")));
    out().flush();
    if (wait != null) {
      java.util.Set<TableKey> tables = new java.util.LinkedHashSet<>();
      summary.paths().forEach(p -> tables.add(TableKey.parse(p.table())));
      return follow(session, tables) ? OK : PARTIAL;
    }
    return OK;
  }

  /** Prints the files still waiting per table whenever the count changes; true when none waits. */
  private boolean follow(OpsSession session, java.util.Set<TableKey> tables) throws InterruptedException {
    java.util.Map<TableKey, Integer> waiting = Progress.follow(out(), wait, () -> {
      java.util.Map<TableKey, Integer> now = new java.util.LinkedHashMap<>();
      for (TableKey table : tables) {
        now.put(table, session.components().tracker().work(table).size());
      }
      return now;
    }, now -> String.join(System.lineSeparator(), now.entrySet().stream()
        .map(e -> "progress: " + e.getKey() + " " + e.getValue() + " file(s) still to load").toList()),
        now -> now.values().stream().allMatch(n -> n == 0),
        "still loading after " + wait + "; `mbl status` shows where the tables are");
    boolean done = waiting.values().stream().allMatch(n -> n == 0);
    if (done) {
      out().println("done: every file loaded or quarantined (`mbl status` shows any quarantined)");
      out().flush();
    }
    return done;
  }

  private byte[] inputBytes(OpsSession session) throws java.io.IOException {
    if (input != null) {
      if (table != null || prefix != null) {
        throw new UsageException("give either INPUT.json or --table with --prefix, not both");
      }
      return Files.readAllBytes(input);
    }
    if (table == null || prefix == null) {
      throw new UsageException("give INPUT.json, or --table TABLE --prefix s3://bucket/prefix/");
    }
    TableRegistration registration = session.table(table);
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.putArray("tables").addObject().put("config", registration.config().value()).put("prefix", prefix);
    root.put("force", force);
    return json.writeValueAsBytes(root);
  }

  private int dryRun(OpsSession session, Instant now) {
    if (table == null || prefix == null) {
      throw new UsageException("--dry-run needs --table TABLE --prefix s3://bucket/prefix/");
    }
    TableRegistration registration = session.table(table);
    TableKey key = registration.table();
    String path = PathTemplate.resolve(prefix, now.atZone(ZoneOffset.UTC));
    String bucket = path.substring(5, path.indexOf('/', 5) < 0 ? path.length() : path.indexOf('/', 5));
    String keyPrefix = path.indexOf('/', 5) < 0 ? "" : path.substring(path.indexOf('/', 5) + 1);
    int would = 0;
    int skip = 0;
    for (var object : session.clients().s3().listObjectsV2Paginator(l -> l.bucket(bucket).prefix(keyPrefix))
        .contents()) {
      S3ObjectRef ref = new S3ObjectRef(bucket, object.key(), object.size(), object.eTag(), null, null);
      var entry = session.components().tracker().ledgerEntry(key, ref);
      boolean loads = entry.isEmpty() || (force && entry.get().state().terminal());
      out().println((loads ? "would load  " : "skip        ") + ref.url()
          + (loads ? "" : " (" + entry.get().state() + ")"));
      if (loads) {
        would++;
      } else {
        skip++;
      }
    }
    out().println("dry run: " + would + " file(s) would load into " + key + ", " + skip + " already ledgered");
    out().flush();
    return OK;
  }
}
