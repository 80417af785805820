package dev.mbl.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.app.Components;
import dev.mbl.event.NextLoaderInput;
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
  private final Components components;

  public NextLoaderHandler() {
    this(Wiring.fromEnvironment());
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
    ObjectNode summary = components.log().mapper().createObjectNode();
    summary.put("trigger", request instanceof NextLoaderInput.Reconcile r ? r.trigger() : "status-change");
    var actions = summary.putObject("actions");
    events.forEach(e -> actions.put(e.action(), actions.path(e.action()).asInt(0) + 1));
    output.write(summary.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
