package dev.mbl.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.config.WarehouseTarget;
import dev.mbl.tables.Deployment;
import dev.mbl.tables.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * Wires the tables of a tables file (the one {@code cdk deploy} reads) into a running local
 * stack as the deployment does: the target table from the entry's {@code ddl} (run through the
 * Data API, as a user would), then queue and dead-letter queue, notification and config via
 * {@link LocalStack#addTable}. A landing bucket of {@code "create"} (owned by the deployed stack)
 * is {@link #LANDING_BUCKET} locally.
 */
public final class LocalTables {
  /** The local name of the landing bucket a tables file asks the stack to create. */
  public static final String LANDING_BUCKET = "mbl-landing";
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);

  private LocalTables() {}

  /** Adds every table of {@code deployment}, in file order; returns what was wired. */
  public static List<LocalTable> addAll(LocalStack stack, Deployment deployment) {
    List<LocalTable> added = new ArrayList<>();
    for (TableSpec table : deployment.tables()) {
      added.add(add(stack, table));
    }
    return added;
  }

  /**
   * Creates the target table (when the entry has DDL) and wires the queue, notification and config.
   *
   * @throws IllegalStateException when the DDL fails (Redshift's error, naming the table) or the queue exists
   */
  public static LocalTable add(LocalStack stack, TableSpec table) {
    if (stack.table(table.name()).isPresent()) {
      throw new IllegalStateException("table '" + table.name() + "' is already wired (queue " + table.name()
          + "): give the new table another name");
    }
    table.targetDdl().ifPresent(ddl -> {
      for (String sql : SqlScript.statements(ddl)) {
        execute(stack.redshiftData(), table.config().target(), sql, table.name());
      }
    });
    String bucket = landingBucket(table);
    return stack.addTable(table.name(), configBytes(table), bucket, table.landing().prefix(),
        table.landing().suffix() == null ? "" : table.landing().suffix());
  }

  /** The bucket files of {@code table} land in locally. */
  public static String landingBucket(TableSpec table) {
    return table.landing().create() ? LANDING_BUCKET : table.landing().bucket();
  }

  /** Runs one statement through the Data API against {@code target} and waits for it. */
  public static void execute(RedshiftDataClient client, WarehouseTarget target, String sql, String what) {
    String id = client.executeStatement(e -> {
      e.database(target.database()).sql(sql);
      if (target.serverless()) {
        e.workgroupName(target.workgroupName());
      } else {
        e.clusterIdentifier(target.clusterIdentifier()).dbUser(target.dbUser());
      }
    }).id();
    Instant deadline = Instant.now().plus(STATEMENT_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      var status = client.describeStatement(d -> d.id(id));
      switch (status.statusAsString()) {
        case "FINISHED":
          return;
        case "FAILED", "ABORTED":
          throw new IllegalStateException("the DDL of table '" + what + "' failed: " + status.error()
              + "\n  " + sql + "\nfix: correct its \"ddl\" / \"ddl_file\" in the tables file");
        default:
          pause();
      }
    }
    throw new IllegalStateException("the DDL of table '" + what + "' did not finish within "
        + STATEMENT_TIMEOUT.toSeconds() + " s: " + sql);
  }

  private static byte[] configBytes(TableSpec table) {
    try {
      return new ObjectMapper().writeValueAsBytes(table.configJson());
    } catch (IOException e) {
      throw new UncheckedIOException("config of table '" + table.name() + "' cannot be written as JSON", e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a DDL statement", e);
    }
  }
}
