package dev.mbl.tracker;

import static dev.mbl.tracker.TrackerItems.LOCK_SK;
import static dev.mbl.tracker.TrackerItems.key;
import static dev.mbl.tracker.TrackerItems.s;

import dev.mbl.load.TableKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The tracker table's plumbing: consistent reads of a lock and a whole batch record, consistent
 * prefix queries, and transactions in which every
 * write on a batch's files is fenced by a check that the batch still holds its table's lock
 * (a cancelled lock check becomes {@link LockLostException}). Split into chunks of at most 100
 * actions, DynamoDB's limit, each chunk re-checking the lock.
 */
final class ItemStore {
  /** DynamoDB accepts at most 100 actions per transaction; one is the lock check. */
  private static final int MAX_TRANSACTION_ITEMS = 100;

  private final DynamoDbClient dynamo;
  private final String tableName;

  ItemStore(DynamoDbClient dynamo, String tableName) {
    this.dynamo = dynamo;
    this.tableName = tableName;
  }

  TransactWriteItem lockCheck(TableKey table, String batchId, LockPhase phase) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":batch", s(batchId));
    if (phase != null) {
      values.put(":phase", s(phase.name()));
      values.put(":phase2", s(phase.name()));
    }
    return TransactWriteItem.builder().conditionCheck(c -> c.tableName(tableName).key(key(table, LOCK_SK))
        .conditionExpression(phase == null ? DynamoDbTracker.LOCK_HELD_BY : DynamoDbTracker.LOCK_HELD_IN_PHASE)
        .expressionAttributeValues(values))
        .build();
  }

  TransactWriteItem update(TableKey table, String sk, String expression, String condition,
      Map<String, AttributeValue> values, Map<String, String> names) {
    return TransactWriteItem.builder().update(u -> u.tableName(tableName).key(key(table, sk))
        .updateExpression(expression).conditionExpression(condition).expressionAttributeValues(values)
        .expressionAttributeNames(names)).build();
  }

  /** Packs per-file actions into transactions of at most 100 actions, each with the lock check first. */
  void transactChunks(TableKey table, String batchId, String step, TransactWriteItem lockCheck,
      List<List<TransactWriteItem>> perFile) {
    List<TransactWriteItem> chunk = new ArrayList<>();
    for (List<TransactWriteItem> actions : perFile) {
      if (chunk.size() + actions.size() + 1 > MAX_TRANSACTION_ITEMS) {
        transact(table, batchId, step, List.of(lockCheck), chunk);
        chunk = new ArrayList<>();
      }
      chunk.addAll(actions);
    }
    if (!chunk.isEmpty()) {
      transact(table, batchId, step, List.of(lockCheck), chunk);
    }
  }

  /** Runs {@code guards} (index 0 = the lock) and {@code actions} atomically. */
  void transact(TableKey table, String batchId, String step, List<TransactWriteItem> guards,
      List<TransactWriteItem> actions) {
    List<TransactWriteItem> all = new ArrayList<>(guards);
    all.addAll(actions);
    try {
      dynamo.transactWriteItems(t -> t.transactItems(all));
    } catch (TransactionCanceledException e) {
      if (reasonCode(e, 0).equals("ConditionalCheckFailed")) {
        throw new LockLostException(table, batchId, step);
      }
      throw new IllegalStateException("tracker step '" + step + "' of batch " + batchId + " on " + table
          + " was refused: " + reasons(e), e);
    }
  }

  /** The table's lock, read consistently. */
  Optional<Lock> lock(TableKey table) {
    var item = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true).key(key(table, LOCK_SK))).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(TrackerItems.toLock(item));
  }

  /** A whole batch record (its work keys too, from its keys item if it has one), read consistently. */
  Optional<BatchRecord> batch(TableKey table, String batchId) {
    var item = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true)
        .key(key(table, TrackerItems.BATCH_PREFIX + batchId))).item();
    return item == null || item.isEmpty() ? Optional.empty()
        : Optional.of(TrackerItems.toBatch(item, BatchKeys.of(dynamo, tableName, item)));
  }

  <T> List<T> queryPrefix(TableKey table, String prefix, String filter, Map<String, AttributeValue> filterValues,
      int max, Function<Map<String, AttributeValue>, T> mapper) {
    List<T> result = new ArrayList<>();
    Map<String, AttributeValue> values = new HashMap<>(filterValues);
    values.put(":pk", s(table.toString()));
    values.put(":prefix", s(prefix));
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder request = QueryRequest.builder().tableName(tableName).consistentRead(true)
          .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)").expressionAttributeValues(values)
          .filterExpression(filter).exclusiveStartKey(start);
      QueryResponse page = dynamo.query(request.build());
      for (Map<String, AttributeValue> item : page.items()) {
        if (result.size() >= max) {
          return result;
        }
        result.add(mapper.apply(item));
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null && result.size() < max);
    return result;
  }

  static String reasonCode(TransactionCanceledException e, int index) {
    List<CancellationReason> reasons = e.cancellationReasons();
    if (reasons == null || reasons.size() <= index || reasons.get(index).code() == null) {
      return "";
    }
    return reasons.get(index).code();
  }

  private static String reasons(TransactionCanceledException e) {
    return e.cancellationReasons().stream().map(CancellationReason::code).toList().toString();
  }
}
