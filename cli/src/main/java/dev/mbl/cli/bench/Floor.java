package dev.mbl.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.cli.bench.BenchData.BenchFile;
import dev.mbl.config.WarehouseTarget;
import dev.mbl.local.LocalStack;
import dev.mbl.local.LocalTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * The floor: the same files loaded the cheapest way Redshift allows, one COPY per table of all
 * its files (one manifest), every table at once, through the same Data API emulator into a copy
 * of each target ({@code CREATE TABLE ... (LIKE ...)}). Its time runs from the first submission
 * until DescribeStatement says FINISHED for every table.
 */
final class Floor {
  static final WarehouseTarget TARGET = WarehouseTarget.cluster("analytics", "dev");

  /** The floor's time and the rows each floor table received. */
  record Result(Duration time, Map<BenchTable, Long> rows) {}

  private Floor() {}

  static Result run(LocalStack stack, Map<BenchTable, List<BenchFile>> files, Duration timeout) throws Exception {
    RedshiftDataClient data = stack.redshiftData();
    Map<BenchTable, String> manifests = new LinkedHashMap<>();
    for (Map.Entry<BenchTable, List<BenchFile>> table : files.entrySet()) {
      BenchTable t = table.getKey();
      LocalTables.execute(data, TARGET, "CREATE TABLE " + t.floor() + " (LIKE " + t.qualified() + ")", t.name());
      String key = "floor/" + t.name() + ".manifest";
      byte[] manifest = manifest(table.getValue());
      stack.s3().putObject(p -> p.bucket(BenchTable.BUCKET).key(key), RequestBody.fromBytes(manifest));
      manifests.put(t, "s3://" + BenchTable.BUCKET + "/" + key);
    }
    ExecutorService pool = Executors.newFixedThreadPool(manifests.size());
    try {
      Instant deadline = Instant.now().plus(timeout);
      Instant start = Instant.now();
      List<Future<Instant>> copies = new ArrayList<>();
      manifests.forEach((table, url) -> copies.add(pool.submit(() -> copy(data, table.floorCopy(url), deadline))));
      Instant end = start;
      for (Future<Instant> copy : copies) {
        Instant finished = copy.get();
        end = finished.isAfter(end) ? finished : end;
      }
      return new Result(Duration.between(start, end), rows(stack, manifests.keySet()));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Submits one COPY and polls until it finished; returns when it was seen FINISHED. */
  private static Instant copy(RedshiftDataClient data, String sql, Instant deadline) throws InterruptedException {
    String id = data.executeStatement(e -> e.clusterIdentifier(TARGET.clusterIdentifier())
        .database(TARGET.database()).sql(sql)).id();
    while (Instant.now().isBefore(deadline)) {
      DescribeStatementResponse status = data.describeStatement(d -> d.id(id));
      if (status.status() == StatusString.FINISHED) {
        return Instant.now();
      }
      if (status.status() == StatusString.FAILED || status.status() == StatusString.ABORTED) {
        throw new IllegalStateException("bench: the floor's COPY failed: " + status.error() + "\n  " + sql);
      }
      TimeUnit.MILLISECONDS.sleep(Visibility.PERIOD.toMillis());
    }
    throw new IllegalStateException("bench: the floor's COPY did not finish in time: " + sql);
  }

  private static byte[] manifest(List<BenchFile> files) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    var entries = root.putArray("entries");
    for (BenchFile file : files) {
      ObjectNode entry = entries.addObject();
      entry.put("url", "s3://" + BenchTable.BUCKET + "/" + file.key());
      entry.put("mandatory", true);
      entry.putObject("meta").put("content_length", file.body().length);
    }
    return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Map<BenchTable, Long> rows(LocalStack stack, Iterable<BenchTable> tables) throws Exception {
    Map<BenchTable, Long> rows = new LinkedHashMap<>();
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        Statement sql = connection.createStatement()) {
      for (BenchTable table : tables) {
        try (ResultSet count = sql.executeQuery("SELECT COUNT(*) FROM " + table.floor())) {
          count.next();
          rows.put(table, count.getLong(1));
        }
      }
    }
    return rows;
  }
}
