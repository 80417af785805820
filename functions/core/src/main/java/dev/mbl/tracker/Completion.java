package dev.mbl.tracker;

import static dev.mbl.tracker.TrackerItems.key;
import static dev.mbl.tracker.TrackerItems.n;
import static dev.mbl.tracker.TrackerItems.s;

import dev.mbl.load.TableKey;
import dev.mbl.util.Parallel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Settles the files of a batch whose statement FINISHED (LOADED), with one single-item write per
 * ledger entry and one delete per work item (25 per BatchWriteItem): 2 write units per file, where
 * a fenced transaction costs 4 ("Capacity management for transactions": every item of a
 * transaction is written twice). Why no lock check is needed: {@link DynamoDbTracker#complete}.
 */
final class Completion {
  /** Ledger updates in flight at once (each one round trip). */
  static final int PARALLEL_UPDATES = 16;
  /** BatchWriteItem's limit. */
  private static final int DELETES_PER_REQUEST = 25;
  /** A file's entry is settled by this batch already, or still pending (taken by the running batch). */
  static final String FILE_TAKEN_BY_OR_PENDING = "batch_id = :batch OR #state = :pending";

  private final DynamoDbClient dynamo;
  private final String tableName;

  Completion(DynamoDbClient dynamo, String tableName) {
    this.dynamo = dynamo;
    this.tableName = tableName;
  }

  void complete(TableKey table, String batchId, List<String> workKeys, Instant now, long expiresAt) {
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values = Map.of(":batch", s(batchId),
        ":state", s(FileState.LOADED.name()), ":pending", s(FileState.PENDING.name()), ":now", n(now.toEpochMilli()),
        ":exp", n(expiresAt));
    Parallel.forEach(workKeys, PARALLEL_UPDATES, "mbl-complete", workKey -> {
      try {
        dynamo.updateItem(u -> u.tableName(tableName).key(key(table, TrackerItems.fileKeyOfWork(workKey)))
            .updateExpression("SET #state = :state, batch_id = :batch, settled_at = :now, expires_at = :exp")
            .conditionExpression(FILE_TAKEN_BY_OR_PENDING).expressionAttributeValues(values)
            .expressionAttributeNames(Map.of("#state", "state")));
      } catch (ConditionalCheckFailedException e) {
        throw new IllegalStateException("tracker step 'complete' of batch " + batchId + " on " + table
            + " was refused: the ledger entry of " + workKey + " is neither pending nor settled by this batch", e);
      }
    });
    for (int from = 0; from < workKeys.size(); from += DELETES_PER_REQUEST) {
      List<WriteRequest> deletes = workKeys.subList(from, Math.min(from + DELETES_PER_REQUEST, workKeys.size()))
          .stream().map(k -> WriteRequest.builder().deleteRequest(d -> d.key(key(table, k))).build()).toList();
      deleteAll(deletes);
    }
  }

  /** Sends the deletes, again for any DynamoDB left unprocessed (throttling), backing off a little. */
  private void deleteAll(List<WriteRequest> deletes) {
    Map<String, List<WriteRequest>> request = Map.of(tableName, deletes);
    for (int round = 0; !request.isEmpty(); round++) {
      if (round > 0) {
        pause(Math.min(1_000L, 25L << Math.min(round, 6)));
      }
      Map<String, List<WriteRequest>> pending = request;
      var response = dynamo.batchWriteItem(b -> b.requestItems(pending));
      request = response.hasUnprocessedItems() && !response.unprocessedItems().isEmpty()
          ? response.unprocessedItems() : Map.of();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deleting settled work items", e);
    }
  }
}
