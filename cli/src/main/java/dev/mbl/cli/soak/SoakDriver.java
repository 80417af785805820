package dev.mbl.cli.soak;

import dev.mbl.local.LocalStack;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Uploads the soak's files in bursts (as fast as S3 takes them) and trickles (one every few
 * milliseconds), overwrites follow their first version at once, and on the way: duplicate
 * notifications, one poisoned message per queue, concurrent BulkLoader runs over each table's
 * prefix at a quarter, half and three quarters of the files, and a config rewrite at half.
 */
final class SoakDriver {
  private final LocalStack stack;
  private final FaultPlan plan;
  private final List<SoakTable> tables;
  private final Map<String, String> poisoned = new TreeMap<>();

  SoakDriver(LocalStack stack, FaultPlan plan, List<SoakTable> tables) {
    this.stack = stack;
    this.plan = plan;
    this.tables = tables;
  }

  /** Poisoned message bodies by queue name: what each dead-letter queue must end up holding. */
  Map<String, String> poisoned() {
    return Collections.unmodifiableMap(poisoned);
  }

  List<SoakVersion> upload(List<SoakVersion> versions, PrintStream out) throws Exception {
    poison();
    List<SoakVersion> uploaded = new ArrayList<>();
    List<Future<?>> bulkRuns = new ArrayList<>();
    ExecutorService background = Soak.background();
    try {
      int index = 0;
      while (index < versions.size()) {
        // Bursts and trickles follow the seed too (drawn from the bulk-run stream, which draws nothing else).
        boolean burst = plan.pick(FaultKind.BULK_RUN, 2) == 0;
        int size = burst ? 50 + plan.pick(FaultKind.BULK_RUN, 150) : 10 + plan.pick(FaultKind.BULK_RUN, 30);
        for (int end = Math.min(versions.size(), index + size); index < end; index++) {
          uploaded.add(put(versions.get(index)));
          if (!burst) {
            TimeUnit.MILLISECONDS.sleep(15);
          }
          milestone(index, versions.size(), background, bulkRuns, out);
        }
      }
      for (Future<?> run : bulkRuns) {
        run.get(10, TimeUnit.MINUTES);
      }
    } finally {
      background.shutdownNow();
    }
    return uploaded;
  }

  private void milestone(int index, int total, ExecutorService background, List<Future<?>> bulkRuns,
      PrintStream out) {
    for (int quarter = 1; quarter <= 3; quarter++) {
      if (index == total * quarter / 4) {
        out.printf("soak: %d of %d versions uploaded%n", index, total);
        for (SoakTable table : tables) {
          plan.count(FaultKind.BULK_RUN);
          bulkRuns.add(background.submit(() -> bulkLoad(table)));
        }
        if (quarter == 2) {
          plan.count(FaultKind.CONFIG_EXPIRY);
          Soak.rewriteConfigs(stack, tables);
        }
      }
    }
  }

  private void bulkLoad(SoakTable table) {
    try {
      stack.invokeBulkLoader("{\"tables\":[{\"config\":\"" + table.queue() + "\",\"prefix\":\"s3://"
          + SoakTable.BUCKET + "/" + table.prefix() + "\"}]}");
    } catch (RuntimeException crashed) {
      // An injected crash (or a refusal) ended this run; the files it did not ledger come by events.
    }
  }

  private SoakVersion put(SoakVersion version) {
    String eTag = stack.s3().putObject(p -> p.bucket(SoakTable.BUCKET).key(version.key()), Soak.body(version))
        .eTag().replace("\"", "");
    SoakVersion uploaded = version.uploaded(eTag);
    if (plan.next(FaultKind.DUPLICATE_DELIVERY)) {
      send(version.table(), notification(uploaded, version.body().length));
    }
    return uploaded;
  }

  private void poison() {
    for (SoakTable table : tables) {
      String body = "soak poison for " + table.queue() + ": not an S3 notification";
      plan.count(FaultKind.POISON);
      send(table, body);
      poisoned.put(table.queue(), body);
    }
  }

  private void send(SoakTable table, String body) {
    String url = stack.table(table.queue()).orElseThrow().queue().url();
    stack.sqs().sendMessage(m -> m.queueUrl(url).messageBody(body));
  }

  /** S3's own notification for one object version (what SQS would deliver a second time). */
  private static String notification(SoakVersion version, long size) {
    return """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",\
        "eventTime":"2026-11-29T00:00:00.000Z","eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0",\
        "configurationId":"soak","bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},"object":{"key":"%s",\
        "size":%d,"eTag":"%s","sequencer":"0055AED6DCD90281E5"}}}]}""".formatted(SoakTable.BUCKET, SoakTable.BUCKET,
        URLEncoder.encode(version.key(), StandardCharsets.UTF_8), size, version.eTag());
  }
}
