package dev.mbl.cli;

import dev.mbl.local.Endpoints;
import dev.mbl.local.LocalStack;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mbl local up}: start the stack with the sample tables and keep it running. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start the local stack with the sample tables and keep it running until Ctrl-C.")
final class LocalUpCommand implements Callable<Integer> {
  @Option(names = "--log", description = "Where the functions' JSON log lines go (default: ${DEFAULT-VALUE}).",
      defaultValue = ".mbl/local.log")
  Path log;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    PrintStream functionLog = new PrintStream(new FileOutputStream(log.toFile(), true), true);
    // Short polls: Ctrl-C stops the stack within a second or two instead of waiting out a 20 s long poll.
    Path s3Folder = Files.createTempDirectory("mbl-s3-");
    LocalStack stack = LocalStack.builder().s3Directory(s3Folder).out(functionLog)
        .pollWait(Duration.ofSeconds(1)).start();
    SampleTables.install(stack, SampleTables.samplesFolder());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stack.close();
      functionLog.close();
      Folders.delete(s3Folder);
      stopped.countDown();
    }, "mbl-shutdown"));
    print(stack, log);
    stopped.await();
    return 0;
  }

  private static void print(LocalStack stack, Path log) {
    Endpoints e = stack.endpoints();
    String landing = SampleTables.LANDING;
    System.out.printf("""
        mbl local stack is up (started in %d ms). Ctrl-C stops it.

          S3               %s
          SQS              %s
          DynamoDB         %s
          Redshift Data    %s
          PostgreSQL       %s
          function log     %s

        Use it from another shell:

          export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local-secret AWS_DEFAULT_REGION=%s

          # drop a file in; MicrobatchLoader picks it up from the queue and loads it
          printf 'order_id,customer,amount,status,updated_at\\n42,ada,12.50,paid,2026-11-21 10:00:00\\n' > o.csv
          aws --endpoint-url %s s3 cp o.csv s3://%s/orders/o.csv

          # look at the rows through the Data API
          aws --endpoint-url %s redshift-data execute-statement --cluster-identifier analytics \\
              --database dev --sql 'select * from public.orders order by order_id'
          aws --endpoint-url %s redshift-data get-statement-result --id <Id from above>

          # the tracker: ledger, pending work, locks, batches
          aws --endpoint-url %s dynamodb scan --table-name %s --max-items 20

          # or straight into the warehouse
          psql '%s'

        Tables: public.orders (CSV, merge on order_id), public.clicks (gzipped JSON, append),
        public.inventory (Parquet, merge on sku + warehouse); landing prefixes s3://%s/{orders,clicks,inventory}/.
        """, stack.startupTime().toMillis(), e.s3(), e.sqs(), e.dynamoDb(), e.redshiftData(), e.postgresJdbcUrl(),
        log.toAbsolutePath(), e.region(), e.s3(), landing, e.redshiftData(), e.redshiftData(), e.dynamoDb(),
        stack.settings().trackerTable(), psqlUrl(e.postgresJdbcUrl()), landing);
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
