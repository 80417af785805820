package dev.mbl.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.local.LocalStack;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.Lock;
import dev.mbl.tracker.TrackerItems;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The soak's invariants, computed from what the soak uploaded (not from what mbl says): every
 * version LOADED once, QUARANTINED exactly when bad, or SUPERSEDED only when a later version of
 * its key exists; each table's rows equal the expected rows (every row of every loaded version
 * once for append, latest per key for merge); no lock held past its lease plus one reconcile
 * period after the fault phase; no work left; dead-letter queues hold only the poisoned messages.
 */
final class SoakCheck {
  private final LocalStack stack;
  private final DynamoDbTracker tracker;
  private final List<SoakTable> tables;
  private final List<SoakVersion> versions;
  private final Map<String, String> poisoned;
  private final List<String> violations = new ArrayList<>();
  private final Map<String, Long> figures = new LinkedHashMap<>();
  private final Map<String, LedgerEntry> entries = new HashMap<>();

  SoakCheck(LocalStack stack, DynamoDbTracker tracker, List<SoakTable> tables, List<SoakVersion> versions,
      Map<String, String> poisoned) {
    this.stack = stack;
    this.tracker = tracker;
    this.tables = tables;
    this.versions = versions;
    this.poisoned = poisoned;
  }

  List<String> violations() {
    return violations;
  }

  Map<String, Long> figures() {
    return figures;
  }

  /**
   * Waits until no table has work or a lock and every version has settled, or {@code timeout}.
   * Meanwhile any lock still held past its lease plus {@code grace} (and past the fault phase's
   * end plus {@code grace}) is a violation: nothing repaired it.
   */
  void awaitSettled(Instant faultPhaseEnd, Duration grace, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Set<String> reported = new HashSet<>();
    while (true) {
      boolean quiet = true;
      Instant now = Instant.now();
      for (SoakTable table : tables) {
        var lock = tracker.lock(table.key());
        if (lock.isPresent()) {
          quiet = false;
          Lock held = lock.get();
          Instant bound = max(held.leaseUntil(), faultPhaseEnd).plus(grace).plusSeconds(2);
          if (now.isAfter(bound) && reported.add(held.batchId())) {
            violations.add("lock of " + table.key() + " held past its lease plus one reconcile period: " + held);
          }
        }
        if (quiet && !tracker.work(table.key()).isEmpty()) {
          quiet = false;
        }
      }
      if (quiet && unsettled().isEmpty()) {
        return;
      }
      if (now.isAfter(deadline)) {
        for (SoakTable table : tables) {
          tracker.lock(table.key()).ifPresent(l -> violations.add("stuck: " + table.key() + " still locked: " + l));
          tracker.work(table.key()).forEach(w -> violations.add("stuck: pending work left: " + w));
        }
        unsettled().forEach(v -> violations.add("stuck: " + v + " not settled: " + entryOf(v)));
        return;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  /** Waits until at least {@code fraction} of the versions have settled, or {@code timeout}. */
  void awaitSettledFraction(double fraction, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (unsettled().size() > versions.size() * (1 - fraction) && Instant.now().isBefore(deadline)) {
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private List<SoakVersion> unsettled() {
    entries.clear();
    for (SoakTable table : tables) {
      for (LedgerEntry entry : tracker.ledgerEntries(table.key())) {
        entries.put(entry.fileId(), entry);
      }
    }
    return versions.stream().filter(v -> entryOf(v) == null || !entryOf(v).state().terminal()).toList();
  }

  private LedgerEntry entryOf(SoakVersion version) {
    return entries.get(TrackerItems.fileId(new S3ObjectRef(SoakTable.BUCKET, version.key(), 0, version.eTag(), null,
        null)));
  }

  void checkAll() throws Exception {
    unsettled();
    checkStates();
    checkHistory();
    checkRows();
    checkDeadLetters();
  }

  /**
   * Each applied batch is one row of the table's history with its manifest; a key must be listed by
   * exactly as many applied batches as it has LOADED versions. This catches a file loaded twice
   * even where the rows cannot (a merge upserts the same rows again).
   */
  private void checkHistory() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (SoakTable table : tables) {
      Map<String, List<String>> batchesByUrl = new HashMap<>();
      List<String> applied = rows("SELECT batch_id, manifest FROM public." + table.name() + "_mbl_history");
      figures.merge("batches applied", (long) applied.size(), Long::sum);
      for (String row : applied) {
        String batchId = row.substring(0, row.indexOf('|'));
        String manifest = row.substring(row.indexOf('|') + 1).substring("s3://".length());
        byte[] body = stack.s3().getObjectAsBytes(g -> g.bucket(manifest.substring(0, manifest.indexOf('/')))
            .key(manifest.substring(manifest.indexOf('/') + 1))).asByteArray();
        for (JsonNode entry : json.readTree(body).path("entries")) {
          batchesByUrl.computeIfAbsent(entry.path("url").asText(), u -> new ArrayList<>()).add(batchId);
        }
      }
      Map<String, Long> loadedVersions = versions.stream().filter(v -> v.table().equals(table))
          .filter(v -> entryOf(v) != null && entryOf(v).state() == FileState.LOADED)
          .collect(Collectors.groupingBy(SoakVersion::url, Collectors.counting()));
      Set<String> urls = new HashSet<>(batchesByUrl.keySet());
      urls.addAll(loadedVersions.keySet());
      for (String url : urls) {
        List<String> batches = batchesByUrl.getOrDefault(url, List.of());
        long loaded = loadedVersions.getOrDefault(url, 0L);
        if (batches.size() != loaded) {
          violations.add("applied " + batches.size() + " time(s) but " + loaded + " version(s) LOADED: " + url
              + " in batches " + batches + "; versions " + versions.stream().filter(v -> v.url().equals(url))
              .map(v -> v + " -> " + entryOf(v)).toList());
        }
      }
    }
  }

  private void checkStates() {
    Map<String, Integer> lastGeneration = new HashMap<>();
    versions.forEach(v -> lastGeneration.merge(v.key(), v.generation(), Math::max));
    Set<String> known = new HashSet<>();
    Map<FileState, Long> byState = new TreeMap<>();
    for (SoakVersion version : versions) {
      LedgerEntry entry = entryOf(version);
      if (entry == null) {
        violations.add("lost: " + version + " has no ledger entry");
        continue;
      }
      known.add(entry.fileId());
      byState.merge(entry.state(), 1L, Long::sum);
      boolean last = version.generation() == lastGeneration.get(version.key());
      boolean ok = switch (entry.state()) {
        case QUARANTINED -> version.bad();
        case LOADED -> !version.bad();
        case SUPERSEDED -> !last;
        default -> false;
      };
      if (!ok) {
        violations.add("wrong state: " + version + (last ? " (latest version)" : " (overwritten later)") + " is "
            + entry.state() + (version.bad() ? ", expected QUARANTINED" : ", expected LOADED")
            + "; batch " + entry.batchId() + ", reason " + entry.reason() + "; tracker item " + entry);
      }
    }
    entries.values().stream().filter(e -> !known.contains(e.fileId()))
        .forEach(e -> violations.add("unexpected ledger entry (no such upload): " + e));
    byState.forEach((state, count) -> figures.put("versions " + state, count));
  }

  private void checkRows() throws Exception {
    Map<String, SoakVersion> byFile = new HashMap<>();
    versions.forEach(v -> byFile.put(v.key() + "#" + v.generation(), v));
    for (SoakTable table : tables) {
      List<String> expected = new ArrayList<>();
      for (SoakVersion version : versions) {
        LedgerEntry entry = entryOf(version);
        if (version.table().equals(table) && entry != null && entry.state() == FileState.LOADED) {
          expected.addAll(version.rows());
        }
      }
      if (table.merge()) {
        expected = new ArrayList<>(expected.stream().collect(Collectors.toMap(r -> r.split("\\|")[0],
            Function.identity(), (a, b) -> Long.parseLong(a.split("\\|")[1]) > Long.parseLong(b.split("\\|")[1])
                ? a : b)).values());
      }
      List<String> actual = rows(table.select());
      figures.merge("rows", (long) actual.size(), Long::sum);
      Map<String, Long> missing = difference(expected, actual);
      Map<String, Long> extra = difference(actual, expected);
      missing.entrySet().stream().limit(20).forEach(e -> violations.add("missing row in " + table.name() + ": "
          + e.getKey() + " (x" + e.getValue() + ") of " + versionOf(e.getKey(), byFile)));
      extra.entrySet().stream().limit(20).forEach(e -> violations.add("unexpected row in " + table.name() + ": "
          + e.getKey() + " (x" + e.getValue() + ", a duplicate or a row of an unloaded version) of "
          + versionOf(e.getKey(), byFile)));
    }
  }

  private String versionOf(String row, Map<String, SoakVersion> byFile) {
    String file = row.contains(".csv#") ? row.split("\\|")[row.startsWith("t") ? 0 : 3] : "?";
    SoakVersion version = byFile.get(file);
    return version == null ? file : version + ", tracker " + entryOf(version);
  }

  private static Map<String, Long> difference(List<String> a, List<String> b) {
    Map<String, Long> counts = a.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    b.forEach(row -> counts.computeIfPresent(row, (k, n) -> n == 1 ? null : n - 1));
    return counts;
  }

  private List<String> rows(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        var statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(result.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }

  private void checkDeadLetters() throws InterruptedException {
    for (SoakTable table : tables) {
      String url = stack.table(table.queue()).orElseThrow().queue().deadLetterQueue().url();
      List<String> bodies = new ArrayList<>();
      Instant deadline = Instant.now().plusSeconds(30);
      while (Instant.now().isBefore(deadline)) {
        stack.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
            .visibilityTimeout(300)).messages().forEach(m -> bodies.add(m.body()));
        if (bodies.contains(poisoned.get(table.queue()))) {
          break;
        }
      }
      figures.merge("dead letters", (long) bodies.size(), Long::sum);
      if (!bodies.equals(List.of(poisoned.get(table.queue())))) {
        violations.add("dead-letter queue of " + table.queue() + " holds " + bodies + "; expected only the poisoned "
            + "message");
      }
    }
  }
}
