package dev.mbl.tracker;

import static dev.mbl.tracker.TrackerItems.LOCK_SK;
import static dev.mbl.tracker.TrackerItems.key;

import dev.mbl.load.TableKey;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The files the batch holding a table's lock took. A start writes nothing per file when it
 * takes them (docs/protocol.md, section 3): the batch record lists their work keys, and the lock
 * says which batch is running. So a ledger entry reads PENDING, and its work item has no batch id,
 * until the batch settles; the operators' views ({@link DynamoDbTracker#ledgerEntries},
 * {@link DynamoDbTracker#work}, {@link TrackerStatus}) show such files as LOADING by that batch,
 * as they were shown when the claim wrote them. Two consistent reads (LOCK, BATCH) per view.
 */
record TakenFiles(String batchId, Set<String> workKeys, Set<String> fileIds) {
  static final TakenFiles NONE = new TakenFiles(null, Set.of(), Set.of());

  static TakenFiles of(DynamoDbClient dynamo, String tableName, TableKey table) {
    var lock = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true).key(key(table, LOCK_SK))).item();
    if (lock == null || lock.isEmpty()) {
      return NONE;
    }
    String batchId = TrackerItems.toLock(lock).batchId();
    var batch = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true)
        .key(key(table, TrackerItems.BATCH_PREFIX + batchId))).item();
    if (batch == null || batch.isEmpty()) {
      return NONE;
    }
    List<String> keys = BatchKeys.of(dynamo, tableName, batch);
    return new TakenFiles(batchId, Set.copyOf(keys),
        Set.copyOf(keys.stream().map(TrackerStatus::fileIdOfWork).toList()));
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
