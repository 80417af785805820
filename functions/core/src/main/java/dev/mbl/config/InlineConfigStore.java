package dev.mbl.config;

import java.util.Optional;

/**
 * Keeps configs that arrive inline (a BulkLoader input) under the SHA-256 of their canonical
 * JSON, so that an {@code inline:<sha256>} {@link ConfigRef} can be resolved later by another
 * function. Implemented by the tracker.
 */
public interface InlineConfigStore {
  /** The JSON saved under {@code sha256} (lower-case hex), or empty when none was saved. */
  Optional<byte[]> find(String sha256);

  /** Saves {@code json} under {@code sha256}; saving the same pair again changes nothing. */
  void save(String sha256, byte[] json);
}
