package dev.mbl.cli.bench;

import dev.mbl.cli.bench.BenchData.BenchFile;
import dev.mbl.cli.bench.BenchResult.Burst;
import dev.mbl.cli.bench.BenchResult.Requests;
import dev.mbl.cli.bench.BenchResult.Trickle;
import dev.mbl.local.LocalStack;
import dev.mbl.local.LocalStackBuilder;
import dev.mbl.local.LocalTables;
import dev.mbl.local.latency.LatencyProfile;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.LedgerEntry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One profile's run of {@code mbl bench} on a fresh local stack: the burst (every file at once,
 * until all rows are visible), the floor for the same files ({@link Floor}), then the trickle;
 * requests counted at the handlers' clients ({@link RequestCounter}), visibility read from the
 * history tables ({@link Visibility}), files and batches from the tracker ({@link Ledger}).
 */
public final class Bench {
  /** What to run; see {@code mbl bench --help}. */
  public record Options(int files, int tables, double trickleRate, int trickleSeconds, long seed, int uploadThreads,
      Mapping mapping, Duration timeout, PrintStream functionLog, PrintStream out) {
    public Options {
      if (files < 1 || tables < 1 || tables > 26 || trickleRate <= 0 || trickleSeconds < 1 || uploadThreads < 1) {
        throw new IllegalArgumentException("give --files 1 or more, --tables 1 to 26, --trickle-rate above 0, "
            + "--trickle-seconds 1 or more and --upload-threads 1 or more (got " + files + ", " + tables + ", "
            + trickleRate + ", " + trickleSeconds + ", " + uploadThreads + ")");
      }
      Objects.requireNonNull(mapping, "mapping");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(functionLog, "functionLog");
      Objects.requireNonNull(out, "out");
    }

    Options withFunctionLog(PrintStream log) {
      return new Options(files, tables, trickleRate, trickleSeconds, seed, uploadThreads, mapping, timeout, log, out);
    }

    int trickleFiles() {
      return Math.max(1, (int) Math.round(trickleRate * trickleSeconds));
    }
  }

  private final Options options;
  private final LatencyProfile profile;
  private final List<BenchTable> tables;
  private final RequestCounter counter = new RequestCounter();

  private Bench(Options options, LatencyProfile profile) {
    this.options = options;
    this.profile = profile;
    this.tables = BenchTable.first(options.tables());
  }

  /** Runs the burst, floor and trickle on a fresh stack with {@code profile}; fails loudly on a wrong row count. */
  public static BenchResult run(Options options, LatencyProfile profile) throws Exception {
    return new Bench(options, profile).run();
  }

  private BenchResult run() throws Exception {
    double loadBefore = BenchResult.Machine.load();
    LocalStackBuilder builder = LocalStack.builder().latency(profile).out(options.functionLog())
        .pollWait(Duration.ofSeconds(1)).handlerClients(counter::wrap);
    try (LocalStack stack = options.mapping().apply(builder, tables.size()).start()) {
      say("local stack up in %d ms (SQS mapping: %s)", stack.startupTime().toMillis(), options.mapping());
      counter.sizesFrom(stack.dynamo());
      prepare(stack);
      DataSource warehouse = stack.postgres().orElseThrow().dataSource();
      Ledger ledger = new Ledger(new DynamoDbTracker(stack.dynamo(), stack.settings().trackerTable(),
          Duration.ofDays(30)), tables);
      BenchData data = new BenchData(options.seed(), tables, options.files());
      List<BenchFile> burstFiles = data.files("burst", options.files());
      try (Visibility visibility = new Visibility(warehouse, tables)) {
        Burst burst = burst(stack, data, burstFiles, visibility, ledger, warehouse);
        List<BenchFile> trickleFiles = data.files("trickle", options.trickleFiles());
        Trickle trickle = trickle(stack, data, burstFiles, trickleFiles, visibility, ledger, warehouse);
        BenchResult.Machine machine = new BenchResult.Machine(Runtime.getRuntime().availableProcessors(), loadBefore,
            BenchResult.Machine.load());
        BenchResult partial = new BenchResult(profile.name(), options.mapping().name(), tables.size(),
            stack.startupTime().toMillis(), machine, burst, trickle, List.of());
        return new BenchResult(partial.profile(), partial.mapping(), partial.tables(), partial.stackStartMs(), machine,
            burst, trickle, Goals.of(profile, partial));
      }
    }
  }

  private Burst burst(LocalStack stack, BenchData data, List<BenchFile> files, Visibility visibility, Ledger ledger,
      DataSource warehouse) throws Exception {
    say("burst: %d files over %d tables", files.size(), tables.size());
    RequestCounter.Counts before = counter.snapshot();
    Instant start = Instant.now();
    Map<String, Instant> acks = upload(stack, files, 0);
    Instant uploaded = acks.values().stream().max(Instant::compareTo).orElseThrow();
    Instant visible = visibility.awaitFiles(perTable(files), deadline());
    Map<String, LedgerEntry> entries = ledger.awaitLoaded(files, deadline());
    RequestCounter.Counts counts = counter.snapshot().minus(before);
    Map<String, Long> rows = verify(warehouse, data);
    Instant lastArrival = entries.values().stream().map(LedgerEntry::arrivedAt).max(Instant::compareTo).orElseThrow();
    Map<String, Integer> copies = new TreeMap<>();
    Map<String, List<BenchResult.Applied>> applied = new TreeMap<>();
    for (BenchTable table : tables) {
      List<BenchResult.Applied> ofTable = visibility.batches().stream().filter(b -> b.table().equals(table))
          .sorted(Comparator.comparing(Visibility.Batch::seen))
          .map(b -> new BenchResult.Applied(b.fileCount(), Duration.between(start, b.seen()).toMillis())).toList();
      applied.put(table.name(), ofTable);
      copies.put(table.name(), ofTable.size());
    }
    int batches = copies.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Integer> failed = Ledger.failed(ledger.batches(), tables);
    List<Long> latencies = latencies(files, acks, entries, visibility).millis();
    long mblMs = Duration.between(start, visible).toMillis();
    say("burst: all rows visible after %d ms in %d batches; running the floor", mblMs, batches);
    Floor.Result floor = Floor.run(stack, byTable(files), options.timeout());
    floor.rows().forEach((table, n) -> {
      long sent = files.stream().filter(f -> f.table().equals(table)).mapToLong(BenchFile::rows).sum();
      if (n != sent) {
        throw new IllegalStateException("bench: the floor table " + table.floor() + " holds " + n + " rows, its files "
            + sent);
      }
    });
    long uploadMs = Math.max(1, Duration.between(start, uploaded).toMillis());
    long intakeMs = Math.max(1, Duration.between(start, lastArrival).toMillis());
    long floorMs = Math.max(1, floor.time().toMillis());
    return new Burst(files.size(), mblMs, floorMs, mblMs / (double) floorMs, percentile(latencies, 0.50),
        percentile(latencies, 0.99), uploadMs,
        files.size() * 1000.0 / uploadMs, intakeMs, files.size() * 1000.0 / intakeMs, copies, applied, failed, rows,
        Requests.of(counts, files.size(), batches));
  }

  private Trickle trickle(LocalStack stack, BenchData data, List<BenchFile> burst, List<BenchFile> files,
      Visibility visibility, Ledger ledger, DataSource warehouse) throws Exception {
    say("trickle: %d files at %.1f a second", files.size(), options.trickleRate());
    Set<String> burstBatches = visibility.batches().stream().map(Visibility.Batch::batchId)
        .collect(Collectors.toSet());
    RequestCounter.Counts before = counter.snapshot();
    Map<String, Instant> acks = upload(stack, files, (long) (1_000_000_000L / options.trickleRate()));
    List<BenchFile> all = new ArrayList<>(burst);
    all.addAll(files);
    visibility.awaitFiles(perTable(all), deadline());
    Map<String, LedgerEntry> entries = ledger.awaitLoaded(files, deadline());
    RequestCounter.Counts counts = counter.snapshot().minus(before);
    verify(warehouse, data);
    Latencies latencies = latencies(files, acks, entries, visibility);
    Set<String> batches = new HashSet<>(latencies.batchIds());
    batches.removeAll(burstBatches);
    long warehouseMs = median(ledger.warehouseTimes(batches).stream().map(Duration::toMillis).toList());
    long p99 = percentile(latencies.millis(), 0.99);
    return new Trickle(files.size(), options.trickleRate(), options.trickleSeconds(), batches.size(),
        percentile(latencies.millis(), 0.50), p99, percentile(latencies.millis(), 1.0), warehouseMs,
        warehouseMs == 0 ? 0 : p99 / (double) warehouseMs, Requests.of(counts, files.size(), batches.size()));
  }

  /** Each file's upload acknowledged -> its batch first seen in the history table, and those batches. */
  private record Latencies(List<Long> millis, Set<String> batchIds) {}

  private static Latencies latencies(List<BenchFile> files, Map<String, Instant> acks, Map<String, LedgerEntry> entries,
      Visibility visibility) {
    List<Long> millis = new ArrayList<>();
    Set<String> batchIds = new HashSet<>();
    for (BenchFile file : files) {
      String batchId = entries.get(file.key()).batchId();
      Visibility.Batch batch = visibility.batch(batchId).orElseThrow(() -> new IllegalStateException(
          "bench: batch " + batchId + " of " + file.key() + " is LOADED but not in " + file.table().history()));
      batchIds.add(batchId);
      millis.add(Duration.between(acks.get(file.key()), batch.seen()).toMillis());
    }
    return new Latencies(millis, batchIds);
  }

  private void prepare(LocalStack stack) {
    stack.s3().createBucket(b -> b.bucket(BenchTable.BUCKET));
    for (BenchTable table : tables) {
      LocalTables.execute(stack.redshiftData(), Floor.TARGET, table.ddl(), table.name());
      stack.addTable(table.queue(), table.config().getBytes(StandardCharsets.UTF_8), BenchTable.BUCKET,
          table.prefix());
    }
  }

  /**
   * Uploads the files in parallel, the next one {@code periodNanos} after the previous (0: all at
   * once, as fast as S3 takes them); returns when each PUT was acknowledged.
   */
  private Map<String, Instant> upload(LocalStack stack, List<BenchFile> files, long periodNanos) throws Exception {
    Map<String, Instant> acks = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(options.uploadThreads());
    try {
      List<Future<?>> puts = new ArrayList<>();
      long begin = System.nanoTime();
      for (int i = 0; i < files.size(); i++) {
        long wait = begin + i * periodNanos - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // the trickle's own pace, not a wait for a condition
        }
        BenchFile file = files.get(i);
        puts.add(pool.submit(() -> acks.put(file.key(), put(stack, file))));
      }
      for (Future<?> put : puts) {
        put.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return acks;
  }

  private static Instant put(LocalStack stack, BenchFile file) {
    stack.s3().putObject(p -> p.bucket(BenchTable.BUCKET).key(file.key()), RequestBody.fromBytes(file.body()));
    return Instant.now();
  }

  /** Checks every table holds exactly the expected ids with their winning ts; returns the row counts. */
  private Map<String, Long> verify(DataSource warehouse, BenchData data) throws Exception {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection connection = warehouse.getConnection(); Statement sql = connection.createStatement()) {
      for (BenchTable table : tables) {
        try (ResultSet result = sql.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id), COALESCE(SUM(ts), 0) FROM "
            + table.qualified())) {
          result.next();
          BenchData.Expected expected = data.expected(table);
          if (result.getLong(1) != expected.rows() || result.getLong(2) != expected.rows()
              || result.getLong(3) != expected.tsSum()) {
            throw new IllegalStateException("bench: " + table.qualified() + " holds " + result.getLong(1) + " rows ("
                + result.getLong(2) + " distinct ids, ts sum " + result.getLong(3) + "); expected " + expected.rows()
                + " distinct ids with ts sum " + expected.tsSum() + ": the merge lost or duplicated rows");
          }
          rows.put(table.name(), result.getLong(1));
        }
      }
    }
    return rows;
  }

  private Map<BenchTable, Integer> perTable(List<BenchFile> files) {
    Map<BenchTable, Integer> counts = new LinkedHashMap<>();
    tables.forEach(t -> counts.put(t, 0));
    files.forEach(f -> counts.merge(f.table(), 1, Integer::sum));
    return counts;
  }

  private Map<BenchTable, List<BenchFile>> byTable(List<BenchFile> files) {
    Map<BenchTable, List<BenchFile>> grouped = new LinkedHashMap<>();
    tables.forEach(t -> grouped.put(t, new ArrayList<>()));
    files.forEach(f -> grouped.get(f.table()).add(f));
    grouped.values().removeIf(List::isEmpty);
    return grouped;
  }

  private Instant deadline() {
    return Instant.now().plus(options.timeout());
  }

  private void say(String format, Object... args) {
    options.out().printf("bench [%s]: %s%n", profile.name(), String.format(format, args));
  }

  /** Nearest-rank percentile ({@code p} of 1.0 is the maximum); 0 for no values. */
  static long percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
  }

  static long median(List<Long> values) {
    return percentile(values, 0.5);
  }
}
