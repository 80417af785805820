package dev.mbl.tracker;

import java.util.Objects;

/**
 * One pending file whose object was overwritten before it could be loaded.
 *
 * @param workKey the file's work item sort key
 * @param supersededBy the file id of the version now under the key
 * @param reason the ledger's human-readable reason, naming both versions
 */
public record Supersession(String workKey, String supersededBy, String reason) {
  public Supersession {
    Objects.requireNonNull(workKey, "workKey");
    Objects.requireNonNull(supersededBy, "supersededBy");
    Objects.requireNonNull(reason, "reason");
    if (!workKey.startsWith(TrackerItems.WORK_PREFIX)) {
      throw new IllegalArgumentException("'" + workKey + "' is no work item sort key");
    }
  }
}
