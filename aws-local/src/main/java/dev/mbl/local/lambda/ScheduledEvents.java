package dev.mbl.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Writes EventBridge's "Scheduled Event", as a schedule rule delivers it to its target. Pure. */
public final class ScheduledEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScheduledEvents() {}

  /** The event of rule {@code ruleName} firing at {@code time} (EventBridge stamps whole seconds). */
  public static String json(String ruleName, Instant time, String region, String account) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.events");
    event.put("account", account);
    event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event.putArray("resources").add("arn:aws:events:" + region + ":" + account + ":rule/" + ruleName);
    event.putObject("detail");
    return event.toString();
  }
}
