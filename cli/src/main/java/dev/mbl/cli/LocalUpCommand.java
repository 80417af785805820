package dev.mbl.cli;

import dev.mbl.local.Endpoints;
import dev.mbl.local.LocalStack;
import dev.mbl.local.LocalStackBuilder;
import dev.mbl.local.LocalTable;
import dev.mbl.local.LocalTables;
import dev.mbl.local.latency.LatencyProfile;
import dev.mbl.settings.SettingNames;
import dev.mbl.tables.Deployment;
import dev.mbl.tables.InvalidTablesException;
import dev.mbl.tables.TablesFile;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbl local up}: start the stack with the tables of a tables file and keep it running. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start the local stack with the tables of a tables file (the one cdk deploys) and keep it "
        + "running until Ctrl-C.")
final class LocalUpCommand implements Callable<Integer> {
  /** How long the local handlers cache a config: an edited config is used within this (AWS default 300 s). */
  static final String LOCAL_CACHE_SECONDS = "2";

  @Option(names = "--tables", description = "The tables file: infra/tables.json format plus ddl / ddl_file per "
      + "table (default: ${DEFAULT-VALUE}).", defaultValue = "config-samples/tables.json")
  Path tables;

  @Option(names = "--port", description = "The edge endpoint's port: every service (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + LocalStackBuilder.EDGE_PORT)
  int port;

  @Option(names = "--postgres-port", description = "The warehouse's PostgreSQL port (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + LocalStackBuilder.POSTGRES_PORT)
  int postgresPort;

  @Option(names = "--log", description = "Where the functions' JSON log lines go (default: ${DEFAULT-VALUE}).",
      defaultValue = ".mbl/local.log")
  Path log;

  @Option(names = "--latency", description = LatencyOption.DESCRIPTION, defaultValue = "fast",
      converter = LatencyOption.class)
  LatencyProfile latency;

  /**
   * The stack {@code local up} runs: the handler settings from this environment (every MBL_*
   * variable, e.g. MBL_CACHE_SECONDS), a short config cache unless one is given, short polls
   * (Ctrl-C stops within a second or two), fixed ports.
   */
  static LocalStackBuilder builder(Map<String, String> environment, int edgePort, int postgresPort) {
    LocalStackBuilder builder = LocalStack.builder().pollWait(Duration.ofSeconds(1)).ports(edgePort, postgresPort)
        .setting(SettingNames.CACHE_SECONDS, LOCAL_CACHE_SECONDS);
    environment.forEach((name, value) -> {
      if (name.startsWith("MBL_")) {
        builder.setting(name, value);
      }
    });
    return builder;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Deployment deployment;
    try {
      deployment = TablesFile.readLocal(tables);
    } catch (InvalidTablesException invalid) {
      System.err.println(invalid.getMessage());
      return 2;
    }
    Files.createDirectories(log.toAbsolutePath().getParent());
    PrintStream functionLog = new PrintStream(new FileOutputStream(log.toFile(), true), true);
    Path s3Folder = Files.createTempDirectory("mbl-s3-");
    LocalStack stack = builder(System.getenv(), port, postgresPort).latency(latency).s3Directory(s3Folder)
        .out(functionLog).start();
    LocalControl control = LocalControl.start(stack);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      control.close();
      stack.close();
      functionLog.close();
      Folders.delete(s3Folder);
      stopped.countDown();
    }, "mbl-shutdown"));
    List<LocalTable> added;
    try {
      added = LocalTables.addAll(stack, deployment);
    } catch (IllegalStateException tableFailed) {
      System.err.println(tableFailed.getMessage());
      return 1;
    }
    control.writeState(tables, log);
    print(stack, deployment, added.size());
    stopped.await();
    return 0;
  }

  private void print(LocalStack stack, Deployment deployment, int count) {
    Endpoints e = stack.endpoints();
    StringBuilder tableLines = new StringBuilder();
    deployment.tables().forEach(t -> tableLines.append(String.format("  %-12s s3://%s/%s%s -> %s%n", t.name(),
        LocalTables.landingBucket(t), t.landing().prefix(), t.landing().suffix() == null ? "" : "*" + t.landing()
        .suffix(), t.config().table())));
    var first = deployment.tables().get(0);
    String edge = e.edge().toString();
    System.out.printf("""
        mbl local stack is up (started in %d ms, latency %s) with %d table(s) from %s. Ctrl-C stops it.

        %s
          edge endpoint    %s   (S3, SQS, DynamoDB, Redshift Data API, Lambda: routed by signing name)
          PostgreSQL       %s
          function log     %s
          configs cached   %s s (MBL_CACHE_SECONDS)

        In another shell, once:

          export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local-secret AWS_DEFAULT_REGION=%s
          export AWS_ENDPOINT_URL=%s   # AWS CLI 2.13+ and the SDKs use it
          alias awsl='aws --endpoint-url %s'   # older CLIs (Debian 12's 2.9) ignore AWS_ENDPOINT_URL

        Then:

          awsl s3 cp my.csv s3://%s/%smy.csv                 # loads into %s
          awsl redshift-data execute-statement --cluster-identifier %s --database %s \\
              --sql 'select count(*) from %s'               # then: awsl redshift-data get-statement-result --id <Id>
          awsl dynamodb scan --table-name %s --max-items 20   # the tracker
          awsl lambda invoke --function-name BulkLoader --cli-binary-format raw-in-base64-out \\
              --payload file://redrive.json out.json         # the runbook's re-drive (docs/operations.md)
          psql '%s'
          ./mbl local add-table                              # after adding an entry to %s
        """, stack.startupTime().toMillis(), latency.name(), count, tables, tableLines, edge,
        psqlUrl(e.postgresJdbcUrl()),
        log.toAbsolutePath(), stack.settings().cacheTtl().toSeconds(), e.region(), edge, edge,
        LocalTables.landingBucket(first), first.landing().prefix(), first.config().table(),
        first.config().target().warehouseName(), first.config().target().database(), first.config().table(),
        stack.settings().trackerTable(), psqlUrl(e.postgresJdbcUrl()), tables);
  }

  /** jdbc:postgresql://host:port/db?user=x -> postgresql://x@host:port/db for psql. */
  static String psqlUrl(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "(no warehouse)";
    }
    String url = jdbcUrl.replaceFirst("^jdbc:", "");
    int query = url.indexOf('?');
    String user = "postgres";
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        if (pair.startsWith("user=")) {
          user = pair.substring(5);
        }
      }
      url = url.substring(0, query);
    }
    return url.replaceFirst("^postgresql://", "postgresql://" + user + "@");
  }
}
