package dev.mbl.tracker;

import dev.mbl.config.ConfigRef;
import dev.mbl.load.TableKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One load of one table: its files (as work-item sort keys), manifest, statement and outcome.
 * {@code attempt} is the highest transient-failure count among its files when it was claimed.
 * Nullable: manifestUrl, statementName, statementId, group, submittedAt, finishedAt, error,
 * errorClass, diagnosisId (set as the batch advances); halfA and halfB are set on the record of a
 * batch that was split, by its halves: {@code LOADED} or {@code FAILED:} + the normalised error.
 */
public record BatchRecord(
    TableKey table, String batchId, BatchState state, List<String> workKeys, long bytes,
    ConfigRef config, String group, int attempt, String manifestUrl, String statementName, String statementId,
    Instant createdAt, Instant submittedAt, Instant finishedAt, String error, String errorClass,
    String diagnosisId, String halfA, String halfB) {

  public BatchRecord {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(createdAt, "createdAt");
    workKeys = List.copyOf(workKeys);
  }

  /** How half {@code "a"} or {@code "b"} of this batch's split ended; null while unknown. */
  public String half(String side) {
    return switch (side) {
      case "a" -> halfA;
      case "b" -> halfB;
      default -> throw new IllegalArgumentException("a split has halves a and b, not '" + side + "'");
    };
  }

  public int fileCount() {
    return workKeys.size();
  }

  /** A new batch about to claim {@code workKeys}. */
  public static BatchRecord claiming(
      TableKey table, String batchId, List<String> workKeys, long bytes, ConfigRef config, String group, int attempt,
      Instant now) {
    return new BatchRecord(table, batchId, BatchState.CLAIMING, workKeys, bytes, config, group, attempt,
        null, null, null, now, null, null, null, null, null, null, null);
  }
}
