package dev.mbl.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.app.Components;
import dev.mbl.load.BulkLoad;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Loads whole prefixes: the seed's {@code {paths, copy, cluster}} input by hand, or a schedule's
 * {@code {tables, time_zone}} input (previous day's partition). Returns a summary per path.
 */
public final class BulkLoaderHandler implements RequestStreamHandler {
  static final String NAME = "BulkLoader";
  private final Components components;

  /** Lambda's: settings from the environment; on SnapStart also primes the first invocation. */
  public BulkLoaderHandler() {
    this(Wiring.fromEnvironment(NAME));
  }

  /** With collaborators built elsewhere: the local runtime and tests. */
  public BulkLoaderHandler(Components components) {
    this.components = components;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    Instant now = components.clock().instant();
    BulkLoad.Summary summary = components.bulk().run(input.readAllBytes(), now);
    summary.events().forEach(e -> components.log().event(NAME, e, now));
    ObjectNode answer = components.log().mapper().createObjectNode();
    ArrayNode paths = answer.putArray("paths");
    for (BulkLoad.PathSummary path : summary.paths()) {
      paths.addObject().put("table", path.table()).put("path", path.path()).put("listed", path.listed())
          .put("enqueued", path.enqueued()).put("skipped", path.skipped());
    }
    components.log().summary(NAME, "bulk-summary", answer, now);
    output.write(answer.toString().getBytes(StandardCharsets.UTF_8));
  }
}
