package dev.mbl.tracker;

import dev.mbl.config.ConfigRef;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.load.TableKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item layout of the tracker table and pure item <-> record mapping. One table, keys {@code pk}
 * (string) and {@code sk} (string), TTL attribute {@code expires_at} (epoch seconds):
 *
 * <pre>
 * pk = table key    sk = FILE#{file id}                 ledger: one per object version
 * pk = table key    sk = WORK#{arrival millis}#{file id} pending work, arrival order
 * pk = table key    sk = LOCK                            the table lock
 * pk = table key    sk = BATCH#{batch id}                batch record
 * pk = #TABLES      sk = table key                       registry the reconciler walks
 * pk = #CONFIG      sk = {sha256}                        inline configs (BulkLoader)
 * </pre>
 */
public final class TrackerItems {
  public static final String PK = "pk";
  public static final String SK = "sk";
  public static final String EXPIRES_AT = "expires_at";
  public static final String LOCK_SK = "LOCK";
  public static final String FILE_PREFIX = "FILE#";
  public static final String WORK_PREFIX = "WORK#";
  public static final String BATCH_PREFIX = "BATCH#";
  public static final String REGISTRY_PK = "#TABLES";
  public static final String CONFIG_PK = "#CONFIG";

  private TrackerItems() {}

  /** A file's id: 128 bits of SHA-256 over bucket, key and version token. */
  public static String fileId(S3ObjectRef object) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(object.bucket().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(object.key().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(object.versionToken().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static String workKey(long arrivalMillis, String fileId) {
    return WORK_PREFIX + String.format("%013d", arrivalMillis) + '#' + fileId;
  }

  /** The ledger sort key of the file a work item stands for. */
  public static String fileKeyOfWork(String workKey) {
    return FILE_PREFIX + workKey.substring(workKey.lastIndexOf('#') + 1);
  }

  public static Map<String, AttributeValue> key(TableKey table, String sk) {
    return Map.of(PK, s(table.toString()), SK, s(sk));
  }

  static Map<String, AttributeValue> ledgerItem(
      TableKey table, String fileId, S3ObjectRef object, Instant now, long expiresAtSeconds) {
    Map<String, AttributeValue> item = new HashMap<>(key(table, FILE_PREFIX + fileId));
    item.put("bucket", s(object.bucket()));
    item.put("key", s(object.key()));
    item.put("version_token", s(object.versionToken()));
    item.put("size", n(object.size()));
    item.put("state", s(FileState.PENDING.name()));
    item.put("arrived_at", n(now.toEpochMilli()));
    item.put(EXPIRES_AT, n(expiresAtSeconds));
    return item;
  }

  static Map<String, AttributeValue> workItem(
      TableKey table, String workKey, String fileId, S3ObjectRef object, ConfigRef config, long expiresAtSeconds) {
    Map<String, AttributeValue> item = new HashMap<>(key(table, workKey));
    item.put("file_id", s(fileId));
    item.put("bucket", s(object.bucket()));
    item.put("key", s(object.key()));
    item.put("version_token", s(object.versionToken()));
    item.put("size", n(object.size()));
    item.put("cfg", s(config.value()));
    item.put("attempts", n(0));
    item.put(EXPIRES_AT, n(expiresAtSeconds));
    return item;
  }

  static WorkItem toWork(Map<String, AttributeValue> item) {
    return new WorkItem(str(item, SK), str(item, "file_id"), str(item, "bucket"), str(item, "key"),
        num(item, "size"), new ConfigRef(str(item, "cfg")), str(item, "batch_id"),
        (int) num(item, "attempts"), num(item, "not_before"), str(item, "group"), str(item, "version_token"));
  }

  static LedgerEntry toLedger(Map<String, AttributeValue> item) {
    return new LedgerEntry(TableKey.parse(str(item, PK)), str(item, SK).substring(FILE_PREFIX.length()),
        str(item, "bucket"), str(item, "key"), str(item, "version_token"), num(item, "size"),
        FileState.valueOf(str(item, "state")), str(item, "batch_id"), str(item, "reason"),
        Instant.ofEpochMilli(num(item, "arrived_at")), instant(item, "settled_at"));
  }

  static Map<String, AttributeValue> lockItem(
      TableKey table, String batchId, LockPhase phase, Instant leaseUntil, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>(key(table, LOCK_SK));
    item.put("batch_id", s(batchId));
    item.put("phase", s(phase.name()));
    item.put("lease_until", n(leaseUntil.toEpochMilli()));
    item.put("checked_at", n(now.toEpochMilli()));
    return item;
  }

  static Lock toLock(Map<String, AttributeValue> item) {
    return new Lock(TableKey.parse(str(item, PK)), str(item, "batch_id"), LockPhase.valueOf(str(item, "phase")),
        str(item, "statement_id"), str(item, "diagnosis_id"), Instant.ofEpochMilli(num(item, "lease_until")),
        Instant.ofEpochMilli(num(item, "checked_at")));
  }

  static Map<String, AttributeValue> batchItem(BatchRecord batch, long expiresAtSeconds) {
    Map<String, AttributeValue> item = new HashMap<>(key(batch.table(), BATCH_PREFIX + batch.batchId()));
    item.put("state", s(batch.state().name()));
    item.put(BatchKeys.SEPARATE, AttributeValue.fromBool(true));
    item.put("file_count", n(batch.fileCount()));
    item.put("bytes", n(batch.bytes()));
    item.put("cfg", s(batch.config().value()));
    item.put("attempt", n(batch.attempt()));
    item.put("created_at", n(batch.createdAt().toEpochMilli()));
    item.put(EXPIRES_AT, n(expiresAtSeconds));
    putIfSet(item, "group", batch.group());
    putIfSet(item, "manifest", batch.manifestUrl());
    putIfSet(item, "statement_name", batch.statementName());
    putIfSet(item, "statement_id", batch.statementId());
    putIfSet(item, "error", batch.error());
    putIfSet(item, "error_class", batch.errorClass());
    putIfSet(item, "diagnosis_id", batch.diagnosisId());
    putIfSet(item, "half_a", batch.halfA());
    putIfSet(item, "half_b", batch.halfB());
    return item;
  }

  /** A batch record with the keys it holds inline (none for records whose keys are in their own item). */
  static BatchRecord toBatch(Map<String, AttributeValue> item) {
    return toBatch(item, BatchKeys.inline(item));
  }

  static BatchRecord toBatch(Map<String, AttributeValue> item, List<String> workKeys) {
    return new BatchRecord(TableKey.parse(str(item, PK)), str(item, SK).substring(BATCH_PREFIX.length()),
        BatchState.valueOf(str(item, "state")), workKeys, num(item, "bytes"), new ConfigRef(str(item, "cfg")),
        str(item, "group"), (int) num(item, "attempt"), str(item, "manifest"), str(item, "statement_name"), str(item, "statement_id"),
        Instant.ofEpochMilli(num(item, "created_at")), instant(item, "submitted_at"), instant(item, "finished_at"),
        str(item, "error"), str(item, "error_class"), str(item, "diagnosis_id"), str(item, "half_a"),
        str(item, "half_b"));
  }

  static TableRegistration toRegistration(Map<String, AttributeValue> item) {
    return new TableRegistration(TableKey.parse(str(item, SK)), new ConfigRef(str(item, "cfg")),
        Instant.ofEpochMilli(num(item, "last_seen")));
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? 0L : Long.parseLong(value.n());
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Instant.ofEpochMilli(num(item, name)) : null;
  }

  private static void putIfSet(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }
}
