package dev.mbl.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.config.ConfigRef;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.load.TableKey;
import dev.mbl.sql.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TrackerItemsTest {
  private static final TableKey TABLE = new TableKey("analytics", "dev", TableName.of("sales", "orders"));
  private static final ConfigRef CONFIG = ConfigRef.s3("mbl-config", "config/orders.json");
  private static final S3ObjectRef OBJECT =
      new S3ObjectRef("landing", "orders/2024/05/01/part-0001.csv.gz", 2048, "9b2cf535f27731c974343645a3985328",
          null, "0055AED6DCD90281E5");
  private static final Instant NOW = Instant.parse("2024-05-01T10:15:30.123Z");

  @Test
  void fileId_sameObject_stable32HexChars() {
    String id = TrackerItems.fileId(OBJECT);

    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(TrackerItems.fileId(new S3ObjectRef(OBJECT.bucket(), OBJECT.key(), 99, OBJECT.eTag(), "v7", "other")))
        .as("size, version id and sequencer do not matter while the eTag is known")
        .isEqualTo(id);
  }

  @Test
  void fileId_differentBucketKeyOrVersionToken_distinct() {
    List<String> ids = List.of(
        TrackerItems.fileId(OBJECT),
        TrackerItems.fileId(new S3ObjectRef("landing-2", OBJECT.key(), 2048, OBJECT.eTag(), null, null)),
        TrackerItems.fileId(new S3ObjectRef(OBJECT.bucket(), OBJECT.key() + "x", 2048, OBJECT.eTag(), null, null)),
        TrackerItems.fileId(new S3ObjectRef(OBJECT.bucket(), OBJECT.key(), 2048, "another-etag", null, null)),
        TrackerItems.fileId(new S3ObjectRef(OBJECT.bucket(), OBJECT.key(), 2048, null, "v1", null)),
        TrackerItems.fileId(new S3ObjectRef(OBJECT.bucket(), OBJECT.key(), 2048, null, "v2", null)));

    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void fileId_boundaryBetweenBucketAndKeyShifted_distinct() {
    assertThat(TrackerItems.fileId(new S3ObjectRef("ab", "c", 1, "e", null, null)))
        .isNotEqualTo(TrackerItems.fileId(new S3ObjectRef("a", "bc", 1, "e", null, null)));
  }

  @Test
  void workKey_arrivalMillis_zeroPaddedToThirteenDigits() {
    assertThat(TrackerItems.workKey(42, "abc")).isEqualTo("WORK#0000000000042#abc");
    assertThat(TrackerItems.workKey(NOW.toEpochMilli(), "abc")).isEqualTo("WORK#1714558530123#abc");
  }

  @Test
  void workKey_lexicographicOrder_isArrivalOrder() {
    List<Long> arrivals = List.of(5L, 40L, 999L, 1_000L, 1_714_558_530_123L, 9_999_999_999_999L);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < arrivals.size(); i++) {
      keys.add(TrackerItems.workKey(arrivals.get(i), i % 2 == 0 ? "ffff" : "0000"));
    }

    assertThat(keys).isSorted();
  }

  @Test
  void fileKeyOfWork_workKey_ledgerKeyOfSameFile() {
    String fileId = TrackerItems.fileId(OBJECT);

    assertThat(TrackerItems.fileKeyOfWork(TrackerItems.workKey(NOW.toEpochMilli(), fileId)))
        .isEqualTo(TrackerItems.FILE_PREFIX + fileId);
  }

  @Test
  void key_tableAndSortKey_stringAttributes() {
    assertThat(TrackerItems.key(TABLE, "LOCK")).containsExactlyInAnyOrderEntriesOf(Map.of(
        "pk", AttributeValue.fromS("analytics/dev/sales.orders"), "sk", AttributeValue.fromS("LOCK")));
  }

  @Test
  void ledgerItem_toLedger_roundTripsAsPending() {
    String fileId = TrackerItems.fileId(OBJECT);
    Map<String, AttributeValue> item = TrackerItems.ledgerItem(TABLE, fileId, OBJECT, NOW, 1_717_150_530L);

    assertThat(item.get("sk").s()).isEqualTo("FILE#" + fileId);
    assertThat(item.get("expires_at").n()).isEqualTo("1717150530");
    assertThat(TrackerItems.toLedger(item)).isEqualTo(new LedgerEntry(TABLE, fileId, OBJECT.bucket(), OBJECT.key(),
        OBJECT.versionToken(), 2048, FileState.PENDING, null, null, NOW, null));
  }

  @Test
  void workItem_toWork_roundTripsUnclaimed() {
    String fileId = TrackerItems.fileId(OBJECT);
    String workKey = TrackerItems.workKey(NOW.toEpochMilli(), fileId);
    Map<String, AttributeValue> item = TrackerItems.workItem(TABLE, workKey, fileId, OBJECT, CONFIG, 1_717_150_530L);

    WorkItem work = TrackerItems.toWork(item);

    assertThat(work).isEqualTo(new WorkItem(workKey, fileId, OBJECT.bucket(), OBJECT.key(), 2048, CONFIG, null, 0, 0,
        null, OBJECT.versionToken()));
    assertThat(work.url()).isEqualTo(OBJECT.url());
    assertThat(work.eligibleAt(NOW.toEpochMilli())).isTrue();
    assertThat(item.get("expires_at").n()).isEqualTo("1717150530");
  }

  @Test
  void toWork_claimedItemWithBackOff_readsEveryField() {
    Map<String, AttributeValue> item = new HashMap<>(TrackerItems.workItem(TABLE, "WORK#0000000000042#f1",
        "f1", OBJECT, CONFIG, 1L));
    item.put("batch_id", AttributeValue.fromS("B1"));
    item.put("attempts", AttributeValue.fromN("3"));
    item.put("not_before", AttributeValue.fromN("1714558590123"));
    item.put("group", AttributeValue.fromS("B0.1"));

    assertThat(TrackerItems.toWork(item)).isEqualTo(new WorkItem("WORK#0000000000042#f1", "f1", OBJECT.bucket(),
        OBJECT.key(), 2048, CONFIG, "B1", 3, 1_714_558_590_123L, "B0.1", OBJECT.versionToken()));
  }

  @Test
  void lockItem_toLock_roundTripsWithoutStatement() {
    Instant lease = NOW.plusSeconds(120);
    Map<String, AttributeValue> item = TrackerItems.lockItem(TABLE, "B1", LockPhase.CLAIMING, lease, NOW);

    assertThat(item.get("sk").s()).isEqualTo("LOCK");
    assertThat(TrackerItems.toLock(item)).isEqualTo(new Lock(TABLE, "B1", LockPhase.CLAIMING, null, null, lease, NOW));
  }

  @Test
  void toLock_runningWithStatement_readsStatementId() {
    Map<String, AttributeValue> item = new HashMap<>(
        TrackerItems.lockItem(TABLE, "B1", LockPhase.RUNNING, NOW.plusSeconds(900), NOW));
    item.put("statement_id", AttributeValue.fromS("stmt-1"));

    assertThat(TrackerItems.toLock(item).statementId()).isEqualTo("stmt-1");
    assertThat(TrackerItems.toLock(item).phase()).isEqualTo(LockPhase.RUNNING);
  }

  @Test
  void batchItem_toBatch_claimingBatchRoundTrips() {
    BatchRecord batch = BatchRecord.claiming(TABLE, "B1", List.of("WORK#0000000000001#a", "WORK#0000000000002#b"),
        4096, CONFIG, null, 0, NOW);
    Map<String, AttributeValue> item = TrackerItems.batchItem(batch, 1_717_150_530L);

    assertThat(item.get("sk").s()).isEqualTo("BATCH#B1");
    assertThat(item.get("file_count").n()).isEqualTo("2");
    assertThat(item).doesNotContainKeys("group", "manifest", "statement_name", "statement_id", "error");
    assertThat(item).as("the keys live in their own item").doesNotContainKey("work_keys")
        .containsEntry(BatchKeys.SEPARATE, AttributeValue.fromBool(true));
    assertThat(TrackerItems.toBatch(item, batch.workKeys())).isEqualTo(batch);
  }

  @Test
  void batchItem_toBatch_optionalFieldsRoundTrip() {
    BatchRecord batch = new BatchRecord(TABLE, "B2", BatchState.FAILED, List.of("WORK#0000000000001#a"), 10,
        ConfigRef.inline("ab12"), "B1.0", 2, "s3://mbl-config/manifests/x.manifest", "mbl/analytics/dev/sales.orders/B2",
        "stmt-9", NOW, null, null, "ERROR: Out Of Memory", "TRANSIENT", "stmt-10", "LOADED", "FAILED:error: #");

    assertThat(TrackerItems.toBatch(TrackerItems.batchItem(batch, 1L), batch.workKeys())).isEqualTo(batch);
  }

  @Test
  void toBatch_submittedAndFinishedSetByUpdates_read() {
    BatchRecord claiming = BatchRecord.claiming(TABLE, "B1", List.of("WORK#0000000000001#a"), 1, CONFIG, null, 0, NOW);
    Map<String, AttributeValue> item = new HashMap<>(TrackerItems.batchItem(claiming, 1L));
    item.put("submitted_at", AttributeValue.fromN(Long.toString(NOW.plusSeconds(1).toEpochMilli())));
    item.put("finished_at", AttributeValue.fromN(Long.toString(NOW.plusSeconds(9).toEpochMilli())));

    BatchRecord read = TrackerItems.toBatch(item);

    assertThat(read.submittedAt()).isEqualTo(NOW.plusSeconds(1));
    assertThat(read.finishedAt()).isEqualTo(NOW.plusSeconds(9));
  }

  @Test
  void toRegistration_registryItem_tableConfigAndLastSeen() {
    Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS(TrackerItems.REGISTRY_PK),
        "sk", AttributeValue.fromS(TABLE.toString()), "cfg", AttributeValue.fromS(CONFIG.value()),
        "last_seen", AttributeValue.fromN(Long.toString(NOW.toEpochMilli())));

    assertThat(TrackerItems.toRegistration(item)).isEqualTo(new TableRegistration(TABLE, CONFIG, NOW));
  }
}
