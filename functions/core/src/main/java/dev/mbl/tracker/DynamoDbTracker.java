package dev.mbl.tracker;

import static dev.mbl.tracker.TrackerItems.EXPIRES_AT;
import static dev.mbl.tracker.TrackerItems.FILE_PREFIX;
import static dev.mbl.tracker.TrackerItems.LOCK_SK;
import static dev.mbl.tracker.TrackerItems.PK;
import static dev.mbl.tracker.TrackerItems.SK;
import static dev.mbl.tracker.TrackerItems.WORK_PREFIX;
import static dev.mbl.tracker.TrackerItems.key;
import static dev.mbl.tracker.TrackerItems.n;
import static dev.mbl.tracker.TrackerItems.s;

import dev.mbl.config.ConfigRef;
import dev.mbl.config.InlineConfigStore;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.load.TableKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The load tracker on one DynamoDB table: file ledger, pending work, table locks, batch records
 * (layout in {@link TrackerItems}; queries and fenced transactions in {@link ItemStore}). Every read that decides a protocol step is strongly
 * consistent, and every write a batch makes on a table's files also checks, in the same
 * transaction, that the batch still holds the table lock; so a stalled or crashed loader can
 * never change files another batch now owns.
 */
public final class DynamoDbTracker implements InlineConfigStore {
  // Ledger: a second delivery of the same object version is recognised by this condition.
  static final String FILE_IS_NEW = "attribute_not_exists(pk)";
  static final String FILE_IS_NEW_OR_SETTLED = "attribute_not_exists(pk) OR #state IN (:loaded, :quarantined)";
  // Lock.
  static final String LOCK_IS_FREE = "attribute_not_exists(pk)";
  static final String LOCK_HELD_BY = "batch_id = :batch";
  static final String LOCK_HELD_IN_PHASE = "batch_id = :batch AND phase IN (:phase, :phase2)";
  // Work items.
  static final String WORK_IS_UNCLAIMED = "attribute_exists(pk) AND attribute_not_exists(batch_id)";
  static final String WORK_GONE_OR_TAKEN_BY =
      "attribute_not_exists(pk) OR attribute_not_exists(batch_id) OR batch_id = :batch";
  static final String WORK_CLAIMED_BY_OR_FREE =
      "attribute_exists(pk) AND (batch_id = :batch OR attribute_not_exists(batch_id))";
  static final String WORK_IS_ELIGIBLE =
      "attribute_not_exists(batch_id) AND (attribute_not_exists(not_before) OR not_before <= :now)";
  // Ledger entries of a batch.
  static final String FILE_CLAIMED_BY_OR_PENDING = "batch_id = :batch OR #state = :pending";
  static final String WORK_GONE_OR_UNCLAIMED = "attribute_not_exists(pk) OR attribute_not_exists(batch_id)";
  static final String FILE_PENDING_OR_SETTLED_AS = "#state IN (:pending, :settled)";

  /**
   * The IAM actions the tracker performs on its table; the deployment grants exactly these.
   * TransactWriteItems is no IAM action: a transaction is authorised by the item actions inside it
   * ("Using IAM with DynamoDB transactions"), so ConditionCheckItem (the lock check in every fenced
   * transaction) is listed with the other item actions.
   */
  public static final List<String> IAM_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:PutItem",
      "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");

  private final DynamoDbClient dynamo;
  private final String tableName;
  private final Duration retention;
  private final ItemStore store;
  private final Completion completion;

  /**
   * @param tableName the tracker table
   * @param retention how long ledger, work and batch items live after their last write (TTL)
   */
  public DynamoDbTracker(DynamoDbClient dynamo, String tableName, Duration retention) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.store = new ItemStore(dynamo, tableName);
    this.completion = new Completion(dynamo, tableName);
  }

  public String tableName() {
    return tableName;
  }

  // ---------------------------------------------------------------- ledger and pending work

  /**
   * Records a file and enqueues it, atomically. Returns false when this object version is already
   * in the ledger (a redelivery); with {@code force}, a file already LOADED or QUARANTINED is
   * ledgered and enqueued again, but one still pending or loading is not.
   */
  public boolean ledger(TableKey table, S3ObjectRef object, ConfigRef config, Instant now, boolean force) {
    String fileId = TrackerItems.fileId(object);
    long expires = expiry(now);
    Map<String, AttributeValue> values = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    if (force) {
      values.put(":loaded", s(FileState.LOADED.name()));
      values.put(":quarantined", s(FileState.QUARANTINED.name()));
      names.put("#state", "state");
    }
    TransactWriteItem ledger = TransactWriteItem.builder().put(p -> p.tableName(tableName)
        .item(TrackerItems.ledgerItem(table, fileId, object, now, expires))
        .conditionExpression(force ? FILE_IS_NEW_OR_SETTLED : FILE_IS_NEW)
        .expressionAttributeValues(values.isEmpty() ? null : values)
        .expressionAttributeNames(names.isEmpty() ? null : names)).build();
    TransactWriteItem work = TransactWriteItem.builder().put(p -> p.tableName(tableName)
        .item(TrackerItems.workItem(table, TrackerItems.workKey(now.toEpochMilli(), fileId), fileId, object,
            config, expires))).build();
    try {
      dynamo.transactWriteItems(t -> t.transactItems(ledger, work));
      return true;
    } catch (TransactionCanceledException e) {
      if (ItemStore.reasonCode(e, 0).equals("ConditionalCheckFailed")) {
        return false;
      }
      throw e;
    }
  }

  /** The ledger entry of an object version, if any. */
  public Optional<LedgerEntry> ledgerEntry(TableKey table, S3ObjectRef object) {
    var item = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true)
        .key(key(table, FILE_PREFIX + TrackerItems.fileId(object)))).item();
    return item == null || item.isEmpty() ? Optional.empty()
        : Optional.of(taken(table).view(TrackerItems.toLedger(item)));
  }

  /**
   * Every ledger entry of a table (operators' view; reads the whole ledger partition). A file the
   * running batch took reads LOADING ({@link TakenFiles}).
   */
  public List<LedgerEntry> ledgerEntries(TableKey table) {
    TakenFiles taken = taken(table);
    return store.queryPrefix(table, FILE_PREFIX, null, Map.of(), Integer.MAX_VALUE, TrackerItems::toLedger).stream()
        .map(taken::view).toList();
  }

  /** Every batch record of a table still kept, oldest first (operators' view; batch ids sort by time). */
  public List<BatchRecord> batches(TableKey table) {
    Map<String, List<String>> keys = new HashMap<>();
    store.queryPrefix(table, BatchKeys.KEYS_PREFIX, null, Map.of(), Integer.MAX_VALUE, item -> keys.put(
        TrackerItems.str(item, SK).substring(BatchKeys.KEYS_PREFIX.length()), BatchKeys.fromItem(item)));
    return store.queryPrefix(table, TrackerItems.BATCH_PREFIX, null, Map.of(), Integer.MAX_VALUE,
        item -> item.containsKey(BatchKeys.SEPARATE) ? TrackerItems.toBatch(item, keys.getOrDefault(
            TrackerItems.str(item, SK).substring(TrackerItems.BATCH_PREFIX.length()), List.of()))
            : TrackerItems.toBatch(item));
  }

  /** Every work item of a table, taken or not, in arrival order; a taken one carries its batch id. */
  public List<WorkItem> work(TableKey table) {
    TakenFiles taken = taken(table);
    return store.queryPrefix(table, WORK_PREFIX, null, Map.of(), Integer.MAX_VALUE, TrackerItems::toWork).stream()
        .map(taken::view).toList();
  }

  private TakenFiles taken(TableKey table) {
    return TakenFiles.of(store, table);
  }

  /** The work items with these sort keys that still exist, read consistently (100 keys per request). */
  public List<WorkItem> workItems(TableKey table, List<String> workKeys) {
    List<WorkItem> result = new ArrayList<>();
    for (int from = 0; from < workKeys.size(); from += 100) {
      List<Map<String, AttributeValue>> keys = workKeys.subList(from, Math.min(from + 100, workKeys.size())).stream()
          .map(k -> key(table, k)).toList();
      Map<String, KeysAndAttributes> request = Map.of(tableName,
          KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> pending = request;
        var response = dynamo.batchGetItem(b -> b.requestItems(pending));
        response.responses().getOrDefault(tableName, List.of()).forEach(i -> result.add(TrackerItems.toWork(i)));
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    result.sort(java.util.Comparator.comparing(WorkItem::sortKey));
    return result;
  }

  /** Up to {@code max} unclaimed work items whose back-off has passed, in arrival order. */
  public List<WorkItem> eligibleWork(TableKey table, Instant now, int max) {
    return store.queryPrefix(table, WORK_PREFIX, WORK_IS_ELIGIBLE, Map.of(":now", n(now.toEpochMilli())), max,
        TrackerItems::toWork);
  }

  // ---------------------------------------------------------------- registry and inline configs

  /** Makes the reconciler look at {@code table}; cheap to repeat. */
  public void register(TableKey table, ConfigRef config, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(TrackerItems.REGISTRY_PK));
    item.put(SK, s(table.toString()));
    item.put("cfg", s(config.value()));
    item.put("last_seen", n(now.toEpochMilli()));
    item.put(EXPIRES_AT, n(expiry(now)));
    dynamo.putItem(p -> p.tableName(tableName).item(item));
  }

  public List<TableRegistration> registrations() {
    List<TableRegistration> result = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = dynamo.query(q -> q.tableName(tableName).consistentRead(true)
          .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(TrackerItems.REGISTRY_PK)))
          .exclusiveStartKey(from));
      page.items().forEach(i -> result.add(TrackerItems.toRegistration(i)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return result;
  }

  @Override
  public Optional<byte[]> find(String sha256) {
    var item = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true)
        .key(Map.of(PK, s(TrackerItems.CONFIG_PK), SK, s(sha256)))).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("json").b().asByteArray());
  }

  @Override
  public void save(String sha256, byte[] json) {
    dynamo.putItem(p -> p.tableName(tableName).item(Map.of(PK, s(TrackerItems.CONFIG_PK), SK, s(sha256),
        "json", AttributeValue.fromB(SdkBytes.fromByteArray(json)))));
  }

  // ---------------------------------------------------------------- lock

  public Optional<Lock> lock(TableKey table) {
    return store.lock(table);
  }

  /** Takes the free lock of {@code table} for a new batch in phase CLAIMING; false if it is held. */
  public boolean acquire(TableKey table, String batchId, Instant now, Instant leaseUntil) {
    try {
      dynamo.putItem(p -> p.tableName(tableName)
          .item(TrackerItems.lockItem(table, batchId, LockPhase.CLAIMING, leaseUntil, now))
          .conditionExpression(LOCK_IS_FREE));
      return true;
    } catch (ConditionalCheckFailedException | TransactionConflictException held) {
      // A conflict means a transaction of the holder is checking the lock right now: it is held.
      return false;
    }
  }

  /** Frees the lock if {@code batchId} still holds it; false if it did not. */
  public boolean release(TableKey table, String batchId) {
    try {
      dynamo.deleteItem(d -> d.tableName(tableName).key(key(table, LOCK_SK))
          .conditionExpression(LOCK_HELD_BY).expressionAttributeValues(Map.of(":batch", s(batchId))));
      return true;
    } catch (ConditionalCheckFailedException notHeld) {
      return false;
    }
  }

  /** Records that the holder is alive: extends the lease. */
  public void touch(TableKey table, String batchId, Instant now, Instant leaseUntil) {
    updateLock(table, batchId, null, "SET lease_until = :lease, checked_at = :now",
        Map.of(":lease", n(leaseUntil.toEpochMilli()), ":now", n(now.toEpochMilli())), "touch");
  }

  /**
   * Moves a CLAIMING lock to ROLLING_BACK, which fences out the original holder's remaining
   * claims. Also accepts a lock already rolling back (a repeated repair).
   */
  public void fence(TableKey table, String batchId, Instant now) {
    updateLock(table, batchId, new LockPhase[] {LockPhase.CLAIMING, LockPhase.ROLLING_BACK},
        "SET phase = :next, checked_at = :now",
        Map.of(":next", s(LockPhase.ROLLING_BACK.name()), ":now", n(now.toEpochMilli())), "fence");
  }

  // ---------------------------------------------------------------- batches

  public Optional<BatchRecord> batch(TableKey table, String batchId) {
    return store.batch(table, batchId);
  }

  /**
   * Writes the record of a new batch (listing the files it is about to take) under its lock: the
   * work keys in their own item first ({@link BatchKeys}), then the record, fenced.
   */
  public void createBatch(BatchRecord batch, Instant now) {
    BatchKeys.write(dynamo, tableName, batch.table(), batch.batchId(), batch.workKeys(), expiry(now));
    store.transact(batch.table(), batch.batchId(), "create batch", List.of(store.lockCheck(batch.table(), batch.batchId(),
        LockPhase.CLAIMING)), List.of(TransactWriteItem.builder().put(p -> p.tableName(tableName)
            .item(TrackerItems.batchItem(batch, expiry(now))).conditionExpression(FILE_IS_NEW)).build()));
  }

  /**
   * Takes work items for the batch. The batch record (written first) lists them and the lock names
   * the batch, which is all the protocol needs (docs/protocol.md, section 3), so nothing is written
   * per file, except for files that arrived more than half the retention ago: those are marked
   * (batch id, LOADING) with their TTL refreshed, so they cannot expire while they load. Every chunk
   * re-checks that the batch holds the lock in CLAIMING.
   */
  public void claim(TableKey table, String batchId, List<WorkItem> items, Instant now) {
    List<List<TransactWriteItem>> perFile = new ArrayList<>();
    Instant old = now.minus(retention.dividedBy(2));
    Map<String, AttributeValue> batchValue = Map.of(":batch", s(batchId), ":exp", n(expiry(now)));
    for (WorkItem item : items) {
      if (!TrackerStatus.arrivalOfWork(item.sortKey()).isBefore(old)) {
        continue;
      }
      perFile.add(List.of(
          store.update(table, item.sortKey(), "SET batch_id = :batch, expires_at = :exp", WORK_IS_UNCLAIMED, batchValue,
              null),
          store.update(table, FILE_PREFIX + item.fileId(), "SET batch_id = :batch, #state = :loading, expires_at = :exp",
              null, Map.of(":batch", s(batchId), ":loading", s(FileState.LOADING.name()), ":exp", n(expiry(now))),
              Map.of("#state", "state"))));
    }
    if (!perFile.isEmpty()) {
      store.transactChunks(table, batchId, "claim", store.lockCheck(table, batchId, LockPhase.CLAIMING), perFile);
    }
  }

  /** CLAIMING -> SUBMITTING: manifest written, statement about to be submitted. */
  public void markSubmitting(TableKey table, String batchId, String manifestUrl, String statementName, Instant now) {
    store.transact(table, batchId, "mark submitting", List.of(store.update(table, LOCK_SK,
        "SET phase = :next, checked_at = :now", LOCK_HELD_IN_PHASE,
        Map.of(":batch", s(batchId), ":phase", s(LockPhase.CLAIMING.name()), ":phase2", s(LockPhase.CLAIMING.name()),
            ":next", s(LockPhase.SUBMITTING.name()), ":now", n(now.toEpochMilli())), null)),
        List.of(store.update(table, TrackerItems.BATCH_PREFIX + batchId,
            "SET #state = :state, manifest = :manifest, statement_name = :name", null,
            Map.of(":state", s(BatchState.SUBMITTING.name()), ":manifest", s(manifestUrl), ":name", s(statementName)),
            Map.of("#state", "state"))));
  }

  /** SUBMITTING -> RUNNING with the Data API's statement id; the lease becomes the running lease. */
  public void markRunning(TableKey table, String batchId, String statementId, Instant now, Instant leaseUntil) {
    store.transact(table, batchId, "mark running", List.of(store.update(table, LOCK_SK,
        "SET phase = :next, statement_id = :sid, lease_until = :lease, checked_at = :now", LOCK_HELD_IN_PHASE,
        Map.of(":batch", s(batchId), ":phase", s(LockPhase.SUBMITTING.name()), ":phase2", s(LockPhase.RUNNING.name()),
            ":next", s(LockPhase.RUNNING.name()), ":sid", s(statementId), ":lease", n(leaseUntil.toEpochMilli()),
            ":now", n(now.toEpochMilli())), null)),
        List.of(store.update(table, TrackerItems.BATCH_PREFIX + batchId,
            "SET #state = :state, statement_id = :sid, submitted_at = :now", null,
            Map.of(":state", s(BatchState.RUNNING.name()), ":sid", s(statementId), ":now", n(now.toEpochMilli())),
            Map.of("#state", "state"))));
  }

  /**
   * RUNNING -> DIAGNOSING: the batch failed with a load error ({@code error}, recorded now) and a
   * query of Redshift's load-error rows is about to be submitted. Repeatable.
   */
  public void markDiagnosing(TableKey table, String batchId, String error, Instant now, Instant leaseUntil) {
    store.transact(table, batchId, "mark diagnosing", List.of(store.update(table, LOCK_SK,
        "SET phase = :next, lease_until = :lease, checked_at = :now", LOCK_HELD_IN_PHASE,
        Map.of(":batch", s(batchId), ":phase", s(LockPhase.RUNNING.name()), ":phase2", s(LockPhase.DIAGNOSING.name()),
            ":next", s(LockPhase.DIAGNOSING.name()), ":lease", n(leaseUntil.toEpochMilli()),
            ":now", n(now.toEpochMilli())), null)),
        List.of(store.update(table, TrackerItems.BATCH_PREFIX + batchId,
            "SET #state = :state, #error = :error, error_class = :class", null,
            Map.of(":state", s(BatchState.DIAGNOSING.name()), ":error", s(error), ":class", s("DATA")),
            Map.of("#state", "state", "#error", "error"))));
  }

  /** Records the diagnostic query's statement id on a DIAGNOSING lock and its batch; the lease becomes the running lease. */
  public void markDiagnosisSubmitted(TableKey table, String batchId, String diagnosisId, Instant now,
      Instant leaseUntil) {
    store.transact(table, batchId, "mark diagnosis submitted", List.of(store.update(table, LOCK_SK,
        "SET diagnosis_id = :did, lease_until = :lease, checked_at = :now", LOCK_HELD_IN_PHASE,
        Map.of(":batch", s(batchId), ":phase", s(LockPhase.DIAGNOSING.name()), ":phase2",
            s(LockPhase.DIAGNOSING.name()), ":did", s(diagnosisId), ":lease", n(leaseUntil.toEpochMilli()),
            ":now", n(now.toEpochMilli())), null)),
        List.of(store.update(table, TrackerItems.BATCH_PREFIX + batchId, "SET diagnosis_id = :did", null,
            Map.of(":did", s(diagnosisId)), null)));
  }

  /**
   * Notes on the record of split parent {@code parentId} how its half {@code side} ("a" or "b")
   * ended. History that the other half reads; written by the half's lock holder before it settles.
   * Returns false when the parent's record no longer exists (expired).
   */
  public boolean noteHalf(TableKey table, String parentId, String side, String outcome) {
    if (!side.equals("a") && !side.equals("b")) {
      throw new IllegalArgumentException("a split has halves a and b, not '" + side + "'");
    }
    try {
      dynamo.updateItem(u -> u.tableName(tableName).key(key(table, TrackerItems.BATCH_PREFIX + parentId))
          .updateExpression("SET half_" + side + " = :outcome").conditionExpression("attribute_exists(pk)")
          .expressionAttributeValues(Map.of(":outcome", s(outcome))));
      return true;
    } catch (ConditionalCheckFailedException expired) {
      return false;
    }
  }

  /**
   * The batch's files are in the table: ledger -> LOADED, work items deleted. Plain writes, not
   * fenced by the lock (docs/protocol.md, section 2): whoever completes batch X saw X's statement
   * FINISHED, so every completion of X writes the same thing, and X's files cannot have moved to
   * another batch (X's lock is released only after they are settled). Each ledger update first,
   * then the work items in batches of 25, so a work item is only ever gone once its file is
   * settled. Idempotent; repeated after a crash by whoever settles X again.
   */
  public void complete(TableKey table, String batchId, List<String> workKeys, Instant now) {
    completion.complete(table, batchId, workKeys, now, expiry(now));
  }

  /**
   * LOADING -> SUPERSEDED: a file of a failed batch whose object is no longer its version (it was
   * overwritten after the batch's start, so COPY read another version's bytes): not its fault, and
   * never loadable. Conditions as {@link #quarantine}. Idempotent.
   */
  public void supersedeClaimed(TableKey table, String batchId, Supersession file, Instant now) {
    settleFiles(table, batchId, List.of(file.workKey()), FileState.SUPERSEDED, file.reason(), file.supersededBy(), now,
        "supersede");
  }

  /** The files are set aside with {@code reason}: ledger -> QUARANTINED, work items deleted. Idempotent. */
  public void quarantine(TableKey table, String batchId, List<String> workKeys, String reason, Instant now) {
    settleFiles(table, batchId, workKeys, FileState.QUARANTINED, reason, null, now, "quarantine");
  }

  /**
   * PENDING -> SUPERSEDED (docs/protocol.md, section 6a): the object under each file's key is now
   * another version, so this version can never be loaded. The work item is deleted and the ledger
   * entry names the replacing version's file id. Fenced like {@link #claim} (lock in CLAIMING);
   * repeatable after a crash.
   */
  public void supersede(TableKey table, String batchId, List<Supersession> files, Instant now) {
    settlePending(table, batchId, files, FileState.SUPERSEDED, now, "supersede");
  }

  /**
   * PENDING -> QUARANTINED before any load: the object no longer exists (deleted after it was
   * recorded), so it can never load. Each {@link Supersession} carries the reason; its
   * {@code supersededBy} is not written. Fenced like {@link #claim}; repeatable after a crash.
   */
  public void quarantinePending(TableKey table, String batchId, List<Supersession> files, Instant now) {
    settlePending(table, batchId, files, FileState.QUARANTINED, now, "quarantine pending");
  }

  private void settlePending(TableKey table, String batchId, List<Supersession> files, FileState state, Instant now,
      String step) {
    boolean superseded = state == FileState.SUPERSEDED;
    List<List<TransactWriteItem>> perFile = new ArrayList<>();
    for (Supersession file : files) {
      TransactWriteItem deleteWork = TransactWriteItem.builder().delete(d -> d.tableName(tableName)
          .key(key(table, file.workKey())).conditionExpression(WORK_GONE_OR_UNCLAIMED)).build();
      Map<String, AttributeValue> values = new HashMap<>(Map.of(":settled", s(state.name()),
          ":pending", s(FileState.PENDING.name()), ":reason", s(file.reason()), ":batch", s(batchId),
          ":now", n(now.toEpochMilli()), ":exp", n(expiry(now))));
      String expression = "SET #state = :settled, #reason = :reason, batch_id = :batch, settled_at = :now,"
          + " expires_at = :exp";
      if (superseded) {
        values.put(":by", s(file.supersededBy()));
        expression += ", superseded_by = :by";
      }
      perFile.add(List.of(deleteWork, store.update(table, TrackerItems.fileKeyOfWork(file.workKey()), expression,
          FILE_PENDING_OR_SETTLED_AS, values, Map.of("#state", "state", "#reason", "reason"))));
    }
    store.transactChunks(table, batchId, step, store.lockCheck(table, batchId, LockPhase.CLAIMING), perFile);
  }

  /** Returns claimed files to pending work with new attempt counts, back-off and split groups. */
  public void requeue(TableKey table, String batchId, List<Requeue> files, Instant now) {
    List<List<TransactWriteItem>> perFile = new ArrayList<>();
    for (Requeue file : files) {
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":batch", s(batchId));
      values.put(":attempts", n(file.addAttempts()));
      values.put(":nb", n(file.notBeforeMillis()));
      values.put(":exp", n(expiry(now)));
      String expression = "SET not_before = :nb, expires_at = :exp";
      if (file.group() != null) {
        values.put(":group", s(file.group()));
        expression += ", #group = :group";
      }
      expression += " ADD attempts :attempts REMOVE batch_id";
      perFile.add(List.of(
          store.update(table, file.workKey(), expression, WORK_CLAIMED_BY_OR_FREE, values,
              file.group() != null ? Map.of("#group", "group") : null),
          store.update(table, TrackerItems.fileKeyOfWork(file.workKey()),
              "SET #state = :pending, expires_at = :exp REMOVE batch_id", FILE_CLAIMED_BY_OR_PENDING,
              Map.of(":batch", s(batchId), ":pending", s(FileState.PENDING.name()), ":exp", n(expiry(now))),
              Map.of("#state", "state"))));
    }
    store.transactChunks(table, batchId, "requeue", store.lockCheck(table, batchId, null), perFile);
  }

  /** Records how a batch ended (not conditional: the outcome is history). */
  public void finishBatch(TableKey table, String batchId, BatchState state, String error, String errorClass,
      Instant now) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":state", s(state.name()));
    values.put(":now", n(now.toEpochMilli()));
    String expression = "SET #state = :state, finished_at = :now";
    if (error != null) {
      values.put(":error", s(error));
      values.put(":class", s(errorClass == null ? "UNKNOWN" : errorClass));
      expression += ", #error = :error, error_class = :class";
    }
    String finalExpression = expression;
    dynamo.updateItem(u -> u.tableName(tableName).key(key(table, TrackerItems.BATCH_PREFIX + batchId))
        .updateExpression(finalExpression).conditionExpression("attribute_exists(pk)")
        .expressionAttributeValues(values)
        .expressionAttributeNames(error != null ? Map.of("#state", "state", "#error", "error") : Map.of("#state", "state")));
  }

  // ---------------------------------------------------------------- internals

  private void settleFiles(TableKey table, String batchId, List<String> workKeys, FileState state, String reason,
      String supersededBy, Instant now, String step) {
    List<List<TransactWriteItem>> perFile = new ArrayList<>();
    for (String workKey : workKeys) {
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":batch", s(batchId));
      values.put(":state", s(state.name()));
      values.put(":now", n(now.toEpochMilli()));
      values.put(":exp", n(expiry(now)));
      values.put(":pending", s(FileState.PENDING.name()));
      String expression = "SET #state = :state, batch_id = :batch, settled_at = :now, expires_at = :exp";
      Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
      if (reason != null) {
        values.put(":reason", s(reason));
        expression += ", #reason = :reason";
        names.put("#reason", "reason");
      }
      if (supersededBy != null) {
        values.put(":by", s(supersededBy));
        expression += ", superseded_by = :by";
      }
      TransactWriteItem deleteWork = TransactWriteItem.builder().delete(d -> d.tableName(tableName)
          .key(key(table, workKey)).conditionExpression(WORK_GONE_OR_TAKEN_BY)
          .expressionAttributeValues(Map.of(":batch", s(batchId)))).build();
      perFile.add(List.of(deleteWork,
          store.update(table, TrackerItems.fileKeyOfWork(workKey), expression, FILE_CLAIMED_BY_OR_PENDING, values,
              names)));
    }
    store.transactChunks(table, batchId, step, store.lockCheck(table, batchId, null), perFile);
  }

  private void updateLock(TableKey table, String batchId, LockPhase[] phases, String expression,
      Map<String, AttributeValue> values, String step) {
    Map<String, AttributeValue> all = new HashMap<>(values);
    all.put(":batch", s(batchId));
    String condition = LOCK_HELD_BY;
    if (phases != null) {
      all.put(":phase", s(phases[0].name()));
      all.put(":phase2", s(phases[phases.length - 1].name()));
      condition = LOCK_HELD_IN_PHASE;
    }
    String finalCondition = condition;
    try {
      dynamo.updateItem(u -> u.tableName(tableName).key(key(table, LOCK_SK)).updateExpression(expression)
          .conditionExpression(finalCondition).expressionAttributeValues(all));
    } catch (ConditionalCheckFailedException lost) {
      throw new LockLostException(table, batchId, step);
    }
  }

  private long expiry(Instant now) {
    return now.plus(retention).getEpochSecond();
  }

}
