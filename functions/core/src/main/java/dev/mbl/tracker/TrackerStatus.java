package dev.mbl.tracker;

import static dev.mbl.tracker.TrackerItems.FILE_PREFIX;
import static dev.mbl.tracker.TrackerItems.key;
import static dev.mbl.tracker.TrackerItems.n;
import static dev.mbl.tracker.TrackerItems.s;

import dev.mbl.load.TableKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The tracker reads and writes that only operators and the health model need: the newest batch
 * records, ledger entries by file id, and the acknowledgement of quarantined files
 * ({@code pk = table key, sk = ACK}, attribute {@code acked_at} in epoch millis, kept without TTL).
 * None of it takes part in the load protocol.
 */
public final class TrackerStatus {
  static final String ACK_SK = "ACK";

  private final DynamoDbClient dynamo;
  private final String tableName;

  public TrackerStatus(DynamoDbClient dynamo, String tableName) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /** When quarantined files of {@code table} were last acknowledged; empty if never. */
  public Optional<Instant> acknowledgedAt(TableKey table) {
    var item = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true).key(key(table, ACK_SK))).item();
    return item == null || item.isEmpty() ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(TrackerItems.num(item, "acked_at")));
  }

  /** Acknowledges every file of {@code table} quarantined up to {@code now}. */
  public void acknowledge(TableKey table, Instant now) {
    dynamo.putItem(p -> p.tableName(tableName).item(Map.of(TrackerItems.PK, s(table.toString()),
        TrackerItems.SK, s(ACK_SK), "acked_at", n(now.toEpochMilli()))));
  }

  /**
   * Every batch attribute but the list of work keys (up to thousands per batch): what the health
   * model reads of each batch it walks. A record read this way has no work keys.
   */
  static final String SUMMARY_PROJECTION = "pk, sk, #state, file_count, bytes, cfg, #group, attempt, manifest, "
      + "statement_name, statement_id, created_at, submitted_at, finished_at, #error, error_class, diagnosis_id, "
      + "half_a, half_b";

  /**
   * The batch records of {@code table}, newest first (batch ids sort by creation time), without
   * their work keys ({@link BatchRecord#workKeys()} is empty; read a record whole with
   * {@link DynamoDbTracker#batch}), read lazily {@code pageSize} at a time: a caller that stops
   * early reads no more.
   */
  public java.util.Iterator<BatchRecord> batchSummariesNewestFirst(TableKey table, int pageSize) {
    return new java.util.Iterator<>() {
      private final java.util.ArrayDeque<BatchRecord> page = new java.util.ArrayDeque<>();
      private Map<String, AttributeValue> next;
      private boolean started;

      @Override
      public boolean hasNext() {
        while (page.isEmpty() && (!started || next != null)) {
          started = true;
          Map<String, AttributeValue> from = next;
          QueryResponse response = dynamo.query(q -> q.tableName(tableName).consistentRead(true)
              .scanIndexForward(false).keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
              .expressionAttributeValues(Map.of(":pk", s(table.toString()), ":prefix", s(TrackerItems.BATCH_PREFIX)))
              .projectionExpression(SUMMARY_PROJECTION)
              .expressionAttributeNames(Map.of("#state", "state", "#group", "group", "#error", "error"))
              .limit(pageSize).exclusiveStartKey(from));
          response.items().forEach(i -> page.add(TrackerItems.toBatch(i)));
          next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey() : null;
        }
        return !page.isEmpty();
      }

      @Override
      public BatchRecord next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException("no older batch of " + table);
        }
        return page.poll();
      }
    };
  }

  /**
   * Up to {@code max} whole batch records of {@code table} (work keys included: one more read per
   * record), newest first (batch ids sort by creation time).
   */
  public List<BatchRecord> batchesNewestFirst(TableKey table, int max) {
    List<BatchRecord> result = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = dynamo.query(q -> q.tableName(tableName).consistentRead(true).scanIndexForward(false)
          .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
          .expressionAttributeValues(Map.of(":pk", s(table.toString()), ":prefix", s(TrackerItems.BATCH_PREFIX)))
          .limit(Math.min(max, 500)).exclusiveStartKey(from));
      for (var item : page.items()) {
        if (result.size() < max) {
          result.add(TrackerItems.toBatch(item, BatchKeys.of(dynamo, tableName, item)));
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null && result.size() < max);
    return result;
  }

  /**
   * The first {@code max} work items of {@code table}, taken or not, in arrival order (oldest first);
   * one the running batch took carries its batch id.
   */
  public List<WorkItem> work(TableKey table, int max) {
    TakenFiles taken = TakenFiles.of(new ItemStore(dynamo, tableName), table);
    List<WorkItem> result = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = dynamo.query(q -> q.tableName(tableName).consistentRead(true)
          .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
          .expressionAttributeValues(Map.of(":pk", s(table.toString()), ":prefix", s(TrackerItems.WORK_PREFIX)))
          .limit(Math.min(max - result.size(), 1000)).exclusiveStartKey(from));
      page.items().forEach(i -> result.add(taken.view(TrackerItems.toWork(i))));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null && result.size() < max);
    return result;
  }

  /**
   * The ledger entries of these file ids that exist, read consistently (100 per request); a file
   * the running batch took reads LOADING.
   */
  public List<LedgerEntry> ledgerEntries(TableKey table, Collection<String> fileIds) {
    TakenFiles taken = TakenFiles.of(new ItemStore(dynamo, tableName), table);
    List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(fileIds));
    List<LedgerEntry> result = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += 100) {
      List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(from + 100, ids.size())).stream()
          .map(id -> key(table, FILE_PREFIX + id)).toList();
      Map<String, KeysAndAttributes> request = Map.of(tableName,
          KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> pending = request;
        var response = dynamo.batchGetItem(b -> b.requestItems(pending));
        response.responses().getOrDefault(tableName, List.of())
            .forEach(i -> result.add(taken.view(TrackerItems.toLedger(i))));
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return result;
  }

  /** The file id a work item's sort key names. */
  public static String fileIdOfWork(String workKey) {
    return TrackerItems.fileKeyOfWork(workKey).substring(FILE_PREFIX.length());
  }

  /** When the file behind a work item arrived (the work key carries its arrival millis). */
  public static Instant arrivalOfWork(String workKey) {
    String[] parts = workKey.split("#");
    return Instant.ofEpochMilli(Long.parseLong(parts[1]));
  }
}
