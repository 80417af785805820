package dev.mbl.cli.bench;

import dev.mbl.cli.bench.BenchData.BenchFile;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.BatchState;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the tracker says about the bench's files and batches, read with the bench's own client
 * (not the handlers', so none of it is counted): when each file was ledgered, which batch loaded
 * it, and how long each batch spent in the warehouse.
 */
final class Ledger {
  private final DynamoDbTracker tracker;
  private final List<BenchTable> tables;

  Ledger(DynamoDbTracker tracker, List<BenchTable> tables) {
    this.tracker = tracker;
    this.tables = List.copyOf(tables);
  }

  /** The ledger entries of {@code files}, by S3 key (files not ledgered yet are absent). */
  Map<String, LedgerEntry> entries(Collection<BenchFile> files) {
    Set<String> keys = files.stream().map(BenchFile::key).collect(Collectors.toSet());
    Map<String, LedgerEntry> found = new HashMap<>();
    for (BenchTable table : tables) {
      for (LedgerEntry entry : tracker.ledgerEntries(table.key())) {
        if (keys.contains(entry.key())) {
          found.put(entry.key(), entry);
        }
      }
    }
    return found;
  }

  /**
   * Waits until every one of {@code files} is LOADED and every table is quiet (no work item left,
   * no lock: a completion deletes the work items after marking the entries LOADED), so that the
   * settle writes after each batch's commit are counted with the phase that caused them; returns
   * their entries.
   */
  Map<String, LedgerEntry> awaitLoaded(Collection<BenchFile> files, Instant deadline) throws InterruptedException {
    while (true) {
      Map<String, LedgerEntry> entries = entries(files);
      long loaded = entries.values().stream().filter(e -> e.state() == FileState.LOADED).count();
      if (loaded == files.size() && tables.stream()
          .allMatch(t -> tracker.work(t.key()).isEmpty() && tracker.lock(t.key()).isEmpty())) {
        return entries;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("bench: " + loaded + " of " + files.size() + " files LOADED in the ledger by"
            + " the deadline although their rows are visible; see the functions' log");
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** Every batch of every table. */
  List<BatchRecord> batches() {
    List<BatchRecord> all = new ArrayList<>();
    tables.forEach(table -> all.addAll(tracker.batches(table.key())));
    return all;
  }

  /** Failed batches per table among {@code batches}. */
  static Map<String, Integer> failed(List<BatchRecord> batches, List<BenchTable> tables) {
    Map<String, Integer> failed = new java.util.TreeMap<>();
    tables.forEach(t -> failed.put(t.name(), 0));
    for (BatchRecord batch : batches) {
      for (BenchTable table : tables) {
        if (batch.state() == BatchState.FAILED && batch.table().equals(table.key())) {
          failed.merge(table.name(), 1, Integer::sum);
        }
      }
    }
    return failed;
  }

  /** Submitted-to-finished time of each of {@code batchIds} that has both. */
  List<Duration> warehouseTimes(Set<String> batchIds) {
    List<Duration> times = new ArrayList<>();
    for (BatchRecord batch : batches()) {
      if (batchIds.contains(batch.batchId()) && batch.submittedAt() != null && batch.finishedAt() != null) {
        times.add(Duration.between(batch.submittedAt(), batch.finishedAt()));
      }
    }
    return times;
  }
}
