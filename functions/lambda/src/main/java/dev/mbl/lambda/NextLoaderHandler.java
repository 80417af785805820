package dev.mbl.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.app.Components;
import dev.mbl.event.NextLoaderInput;
import dev.mbl.health.HealthMetrics;
import dev.mbl.load.LoadEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * EventBridge: a Data API status change (FINISHED, FAILED, ABORTED) settles its batch and starts
 * the next; the one-minute schedule (or {@code {"action":"reconcile"}}) repairs every table.
 * Answers with a summary of what it did. A malformed input fails the invocation; EventBridge
 * invokes asynchronously, so Lambda retries it and then hands it to the function's on-failure
 * destination (or dead-letter queue) where one is configured.
 */
public final class NextLoaderHandler implements RequestStreamHandler {
  static final String NAME = "NextLoader";
  /** The reconcile period: each EMF line counts the files loaded and quarantined within it. */
  static final java.time.Duration HEALTH_WINDOW = java.time.Duration.ofMinutes(1);
  private final Components components;

  /** Lambda's: settings from the environment; on SnapStart also primes the first invocation. */
  public NextLoaderHandler() {
    this(Wiring.fromEnvironment(NAME));
  }

  /** With collaborators built elsewhere: the local runtime and tests. */
  public NextLoaderHandler(Components components) {
    this.components = components;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    Instant now = components.clock().instant();
    NextLoaderInput request = components.nextLoaderInput().parse(input.readAllBytes());
    List<LoadEvent> events = request instanceof NextLoaderInput.StatusChange change
        ? components.coordinator().onStatementEvent(change.event(), now)
        : components.coordinator().reconcile(now);
    events.forEach(e -> components.log().event(NAME, e, now));
    if (request instanceof NextLoaderInput.Reconcile) {
      writeHealth(now);
    }
    ObjectNode summary = components.log().mapper().createObjectNode();
    summary.put("trigger", request instanceof NextLoaderInput.Reconcile r ? r.trigger() : "status-change");
    var actions = summary.putObject("actions");
    events.forEach(e -> actions.put(e.action(), actions.path(e.action()).asInt(0) + 1));
    output.write(summary.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** One EMF line per table after each reconcile; a failure to read health never fails the repair. */
  private void writeHealth(Instant now) {
    try {
      HealthMetrics metrics = new HealthMetrics();
      components.health().all(now, HEALTH_WINDOW, r -> null)
          .forEach(h -> components.log().raw(metrics.line(h, now)));
    } catch (RuntimeException unreadable) {
      components.log().event(NAME, new LoadEvent("error", null, null, null, 0,
          "health metrics not written: " + unreadable.getClass().getSimpleName() + ": " + unreadable.getMessage()), now);
    }
  }
}
