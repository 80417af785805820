package dev.mbl.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code ./mbl local up} writes to {@link #FILE} while it runs (LocalControl in dev.mbl.cli):
 * its edge endpoint, region, credentials and the stack's names. {@code --local} reads it.
 */
record LocalState(URI edge, String region, String accessKeyId, String secretAccessKey, String trackerTable,
    String configBucket) {
  static final Path FILE = Path.of(".mbl", "local.json");

  static LocalState read(Path file) {
    try {
      JsonNode state = new ObjectMapper().readTree(Files.readAllBytes(file));
      return new LocalState(URI.create(text(state, "edge", file)), text(state, "region", file),
          text(state, "access_key_id", file), text(state, "secret_access_key", file),
          text(state, "tracker_table", file), text(state, "config_bucket", file));
    } catch (IOException unreadable) {
      throw new UncheckedIOException("cannot read " + file + ": " + unreadable.getMessage(), unreadable);
    }
  }

  private static String text(JsonNode state, String field, Path file) {
    JsonNode value = state.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new UsageException(file + " has no \"" + field + "\": restart ./mbl local up");
    }
    return value.asText();
  }
}
