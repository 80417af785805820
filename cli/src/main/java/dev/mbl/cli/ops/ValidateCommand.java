package dev.mbl.cli.ops;

import dev.mbl.config.ConfigParser;
import dev.mbl.config.ConfigRef;
import dev.mbl.config.InvalidConfigException;
import dev.mbl.config.TableConfig;
import dev.mbl.event.StatementState;
import dev.mbl.load.BatchIds;
import dev.mbl.load.TableKey;
import dev.mbl.manifest.ManifestWriter;
import dev.mbl.sql.BatchRequest;
import dev.mbl.sql.BatchSqlBuilder;
import dev.mbl.sql.Column;
import dev.mbl.sql.Identifier;
import dev.mbl.tracker.WorkItem;
import dev.mbl.warehouse.DataApiWarehouse;
import dev.mbl.warehouse.StatementStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mbl validate CONFIG.json [--sample s3://...]}: every problem of a config at once, then
 * the target table and the columns the config names, then the sample file through the batch's own
 * CREATE TEMP TABLE and COPY (built by the loader's SQL builder, through a manifest as a batch
 * would): with NOLOAD for text formats, a load into the temporary table for PARQUET and ORC (which
 * take no NOLOAD). Nothing else runs; the target is untouched.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 252,
    description = {"Check a table config before it goes live: every problem at once; the target table exists and "
        + "has the merge and listed columns; with --sample, the file loads into a temporary staging table "
        + "(NOLOAD for text formats, a temporary table for PARQUET/ORC; the target is untouched).", "Exit code 0 valid, 1 a problem was found."})
public final class ValidateCommand extends OpsCommand {
  static final Duration COPY_WAIT = Duration.ofMinutes(5);

  @Parameters(paramLabel = "CONFIG.json", description = "The table config (the seed's JSON format).")
  Path config;

  @Option(names = "--sample", paramLabel = "S3_URL", description = "A file to load into a staging table.")
  String sample;

  @Option(names = "--offline", description = "Check only the config itself (no warehouse).")
  boolean offline;

  @Override
  int run(OpsSession session) throws Exception {
    byte[] json = Files.readAllBytes(config);
    TableConfig parsed;
    try {
      parsed = ConfigParser.forRegion(session.components().settings().region()).parse(json,
          ConfigRef.inline(sha256(json)));
    } catch (InvalidConfigException invalid) {
      out().println("config " + config + " is invalid:");
      out().println(invalid.getMessage());
      out().flush();
      return PARTIAL;
    }
    out().println("config: valid (" + TableKey.of(parsed) + ", " + parsed.mode().name().toLowerCase() + ")");
    if (offline) {
      out().flush();
      return OK;
    }
    DataApiWarehouse warehouse = new DataApiWarehouse(session.clients().redshiftData());
    List<Column> columns = warehouse.describeTable(parsed.target(), parsed.table());
    if (columns.isEmpty()) {
      out().println("table: " + parsed.table() + " does not exist in " + parsed.target().warehouseName() + "/"
          + parsed.target().database() + ": create it, or fix copy.table_name");
      out().flush();
      return PARTIAL;
    }
    List<String> missing = new ArrayList<>();
    List<Identifier> named = new ArrayList<>(parsed.mergeKeys());
    parsed.timestampColumn().ifPresent(named::add);
    named.addAll(parsed.columns());
    for (Identifier column : named) {
      if (columns.stream().noneMatch(c -> c.name().equals(column))) {
        missing.add(column.value());
      }
    }
    if (!missing.isEmpty()) {
      out().println("table: " + parsed.table() + " has no column(s) " + missing + " that the config names (merge "
          + "keys, merge timestamp, copy.columns)");
      out().flush();
      return PARTIAL;
    }
    out().println("table: " + parsed.table() + " exists with " + columns.size() + " columns, including every column "
        + "the config names");
    out().flush();
    return sample == null ? OK : loadSample(session, warehouse, parsed, columns);
  }

  private int loadSample(OpsSession session, DataApiWarehouse warehouse, TableConfig config, List<Column> columns)
      throws InterruptedException {
    if (!sample.startsWith("s3://") || sample.indexOf('/', 5) < 0) {
      throw new UsageException("--sample '" + sample + "' is not an s3://bucket/key URL");
    }
    String bucket = sample.substring(5, sample.indexOf('/', 5));
    String key = sample.substring(sample.indexOf('/', 5) + 1);
    long size = session.clients().s3().headObject(h -> h.bucket(bucket).key(key)).contentLength();
    Instant now = session.clock().instant();
    String batchId = new BatchIds().next(now);
    TableKey table = TableKey.of(config);
    WorkItem file = new WorkItem("WORK#0000000000000#sample", "sample", bucket, key, size, config.source(), null, 0, 0,
        null);
    var settings = session.components().settings();
    String manifest = new ManifestWriter(session.clients().s3(), settings.manifestBucket(),
        settings.manifestPrefix() + "validate/").write(table, batchId, List.of(file));
    List<String> batch = BatchSqlBuilder.create().build(new BatchRequest(config, columns, manifest, batchId, 1, now))
        .statements();
    // The staging table and the COPY only: no history table, no pre/post SQL, nothing reaches the target.
    // Text, CSV and JSON: NOLOAD ("Validating input data": checks every row, loads nothing). PARQUET and ORC
    // take no NOLOAD ("COPY from columnar data formats" lists the parameters they take): a real COPY into
    // the temporary staging table, which ends with the statement's session.
    boolean noLoad = !config.copyOptions().columnar();
    String copy = batch.get(2 + config.preSql().size()) + (noLoad ? " NOLOAD" : "");
    List<String> staging = List.of(batch.get(1), copy);
    String id = warehouse.submitBatch(config.target(), staging, "mbl-cli/validate/" + batchId, batchId);
    Instant deadline = Instant.now().plus(COPY_WAIT);
    out().print("sample: loading " + sample + " into a staging table");
    out().flush();
    while (Instant.now().isBefore(deadline)) {
      Optional<StatementStatus> status = warehouse.describe(id);
      if (status.isPresent() && status.get().state().terminal()) {
        out().println();
        if (status.get().state() == StatementState.FINISHED) {
          out().println("sample: loads (" + (noLoad ? "COPY ... NOLOAD checked every row" : "COPY into a temporary "
              + "staging table succeeded") + "; nothing was kept)");
          out().flush();
          return OK;
        }
        out().println("sample: does not load: " + status.get().error());
        FailingRows.of(warehouse, config.target(), sample, copyQueryId(session, id), spec.commandLine().getErr())
            .filter(rows -> !rows.isEmpty()).ifPresent(rows -> FailingRows.print(rows, out()));
        out().flush();
        return PARTIAL;
      }
      out().print(".");
      out().flush();
      Thread.sleep(300);
    }
    out().println();
    out().println("sample: still loading after " + COPY_WAIT + " (statement " + id + ")");
    out().flush();
    return PARTIAL;
  }

  /** The COPY's query id (its sub-statement's RedshiftQueryId): the failing rows of this run only. */
  private static Long copyQueryId(OpsSession session, String statementId) {
    var subs = session.clients().redshiftData().describeStatement(d -> d.id(statementId)).subStatements();
    Long id = subs.size() > 1 ? subs.get(1).redshiftQueryId() : null;
    return id == null || id <= 0 ? null : id;
  }

  static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
