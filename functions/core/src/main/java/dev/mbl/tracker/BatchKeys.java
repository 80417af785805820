package dev.mbl.tracker;

import static dev.mbl.tracker.TrackerItems.EXPIRES_AT;
import static dev.mbl.tracker.TrackerItems.key;
import static dev.mbl.tracker.TrackerItems.n;

import dev.mbl.load.TableKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The work keys of a batch, kept in their own item ({@code KEYS#{batch id}}, attribute {@code keys}:
 * 22 bytes per key, the arrival millis in 6 and the file id in 16) instead of in the batch record.
 * The batch record is updated four times per batch (markSubmitting and markRunning in
 * transactions, finishBatch) and DynamoDB charges every write by the whole item's size ("Item
 * sizes and formats"), twice in a transaction: with 500 keys inline that was about 190 write units
 * per batch. The keys are written once, before the batch record, and read with it.
 */
final class BatchKeys {
  static final String KEYS_PREFIX = "KEYS#";
  /** Set on a batch record whose keys are in the KEYS item (records without it hold {@code work_keys}). */
  static final String SEPARATE = "keys_item";
  private static final Pattern PACKABLE = Pattern.compile("WORK#(\\d{13})#([0-9a-f]{32})");
  private static final int PACKED = 22;

  private BatchKeys() {}

  static String sortKey(String batchId) {
    return KEYS_PREFIX + batchId;
  }

  /** Writes the keys item (a plain put: the same batch id always lists the same keys). */
  static void write(DynamoDbClient dynamo, String tableName, TableKey table, String batchId, List<String> workKeys,
      long expiresAtSeconds) {
    Map<String, AttributeValue> item = new HashMap<>(key(table, sortKey(batchId)));
    item.put(EXPIRES_AT, n(expiresAtSeconds));
    if (workKeys.stream().allMatch(k -> PACKABLE.matcher(k).matches())) {
      item.put("keys", AttributeValue.fromB(SdkBytes.fromByteArray(pack(workKeys))));
    } else {
      item.put("key_list", AttributeValue.fromL(workKeys.stream().map(TrackerItems::s).toList()));
    }
    dynamo.putItem(p -> p.tableName(tableName).item(item));
  }

  /** The keys of a batch record: inline (older records) or from its keys item, read consistently. */
  static List<String> of(DynamoDbClient dynamo, String tableName, Map<String, AttributeValue> batchItem) {
    if (!batchItem.containsKey(SEPARATE)) {
      return inline(batchItem);
    }
    String batchId = TrackerItems.str(batchItem, TrackerItems.SK).substring(TrackerItems.BATCH_PREFIX.length());
    TableKey table = TableKey.parse(TrackerItems.str(batchItem, TrackerItems.PK));
    var item = dynamo.getItem(g -> g.tableName(tableName).consistentRead(true).key(key(table, sortKey(batchId))))
        .item();
    return item == null || item.isEmpty() ? List.of() : fromItem(item);
  }

  static List<String> inline(Map<String, AttributeValue> batchItem) {
    return batchItem.containsKey("work_keys")
        ? batchItem.get("work_keys").l().stream().map(AttributeValue::s).toList()
        : List.of();
  }

  static List<String> fromItem(Map<String, AttributeValue> item) {
    if (item.containsKey("key_list")) {
      return item.get("key_list").l().stream().map(AttributeValue::s).toList();
    }
    return item.containsKey("keys") ? unpack(item.get("keys").b().asByteArray()) : List.of();
  }

  static byte[] pack(List<String> workKeys) {
    ByteBuffer buffer = ByteBuffer.allocate(workKeys.size() * PACKED);
    for (String workKey : workKeys) {
      var m = PACKABLE.matcher(workKey);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a work key: " + workKey);
      }
      long arrival = Long.parseLong(m.group(1));
      buffer.putShort((short) (arrival >>> 32)).putInt((int) arrival);
      buffer.put(HexFormat.of().parseHex(m.group(2)));
    }
    return buffer.array();
  }

  static List<String> unpack(byte[] packed) {
    if (packed.length % PACKED != 0) {
      throw new IllegalStateException("a batch's keys item holds " + packed.length + " bytes, not a multiple of "
          + PACKED + ": it was not written by this version of mbl");
    }
    ByteBuffer buffer = ByteBuffer.wrap(packed);
    List<String> keys = new ArrayList<>(packed.length / PACKED);
    byte[] id = new byte[16];
    while (buffer.hasRemaining()) {
      long arrival = ((buffer.getShort() & 0xFFFFL) << 32) | (buffer.getInt() & 0xFFFFFFFFL);
      buffer.get(id);
      keys.add(TrackerItems.workKey(arrival, HexFormat.of().formatHex(id)));
    }
    return keys;
  }
}
