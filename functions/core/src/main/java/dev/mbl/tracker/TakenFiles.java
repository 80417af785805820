package dev.mbl.tracker;

import dev.mbl.load.TableKey;
import java.util.Set;

/**
 * The files the batch holding a table's lock took. A start writes nothing per file when it
 * takes them (docs/protocol.md, section 3): the batch record lists their work keys, and the lock
 * says which batch is running. So a ledger entry reads PENDING, and its work item has no batch id,
 * until the batch settles; the operators' views ({@link DynamoDbTracker#ledgerEntries},
 * {@link DynamoDbTracker#work}, {@link TrackerStatus}) show such files as LOADING by that batch,
 * as they were shown when the claim wrote them. Up to three consistent reads per view (LOCK,
 * BATCH and its keys item).
 */
record TakenFiles(String batchId, Set<String> workKeys, Set<String> fileIds) {
  static final TakenFiles NONE = new TakenFiles(null, Set.of(), Set.of());

  static TakenFiles of(ItemStore store, TableKey table) {
    return store.lock(table).flatMap(lock -> store.batch(table, lock.batchId())).map(batch -> new TakenFiles(
        batch.batchId(), Set.copyOf(batch.workKeys()),
        Set.copyOf(batch.workKeys().stream().map(TrackerStatus::fileIdOfWork).toList()))).orElse(NONE);
  }

  /** The entry as operators see it: a PENDING file this batch took reads LOADING by this batch. */
  LedgerEntry view(LedgerEntry entry) {
    if (entry.state() != FileState.PENDING || !fileIds.contains(entry.fileId())) {
      return entry;
    }
    return new LedgerEntry(entry.table(), entry.fileId(), entry.bucket(), entry.key(), entry.versionToken(),
        entry.size(), FileState.LOADING, batchId, entry.reason(), entry.arrivedAt(), entry.settledAt());
  }

  /** The work item as operators see it: one this batch took carries the batch id. */
  WorkItem view(WorkItem work) {
    if (work.batchId() != null || !workKeys.contains(work.sortKey())) {
      return work;
    }
    return new WorkItem(work.sortKey(), work.fileId(), work.bucket(), work.key(), work.size(), work.config(), batchId,
        work.attempts(), work.notBeforeMillis(), work.group(), work.versionToken());
  }
}
