package dev.mbl.event;

import java.util.List;
import java.util.Objects;

/**
 * What one SQS message body held: the created objects to load, and one human-readable reason for
 * every record that was acknowledged but skipped (a delete, an {@code s3:TestEvent}, ...).
 *
 * @param objects the created objects, in the order of the message; never null, may be empty
 * @param ignored why each skipped record was skipped; never null, may be empty
 */
public record ParsedMessage(List<S3ObjectRef> objects, List<String> ignored) {
  public ParsedMessage {
    objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
    ignored = List.copyOf(Objects.requireNonNull(ignored, "ignored"));
  }
}
