package dev.mbl.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One CloudWatch Embedded Metric Format line per table (written to stdout, CloudWatch Logs turns it
 * into metrics; no PutMetricData call): namespace {@value #NAMESPACE}, dimension {@value #DIMENSION}
 * = the table key, metrics {@code Health} (0 OK, 1 WARN, 2 CRITICAL), {@code PendingFiles},
 * {@code OldestPendingAgeSeconds}, {@code FilesLoaded} and {@code FilesQuarantined} (within the
 * reconcile window). The line also carries {@code state}, {@code reason} and {@code action} for the
 * dashboard's status grid (a Logs Insights query on {@code _aws}-lines).
 */
public final class HealthMetrics {
  public static final String NAMESPACE = "mbl/health";
  public static final String DIMENSION = "Table";
  public static final String HEALTH = "Health";
  public static final String PENDING = "PendingFiles";
  public static final String OLDEST_PENDING_AGE = "OldestPendingAgeSeconds";
  public static final String FILES_LOADED = "FilesLoaded";
  public static final String FILES_QUARANTINED = "FilesQuarantined";
  /** The {@code action} field of every health line, for log queries. */
  public static final String ACTION = "health";

  private final ObjectMapper json = new ObjectMapper();

  public String line(TableHealth health, Instant now) {
    TableSnapshot s = health.snapshot();
    ObjectNode root = json.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", now.toEpochMilli());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray().add(DIMENSION);
    ArrayNode metrics = directive.putArray("Metrics");
    metric(metrics, HEALTH, "None");
    metric(metrics, PENDING, "Count");
    metric(metrics, OLDEST_PENDING_AGE, "Seconds");
    metric(metrics, FILES_LOADED, "Count");
    metric(metrics, FILES_QUARANTINED, "Count");
    root.put("time", now.toString());
    root.put("level", health.health() == Health.OK ? "INFO" : "WARN");
    root.put("function", "NextLoader");
    root.put("action", ACTION);
    root.put(DIMENSION, s.table().toString());
    root.put("table", s.table().toString());
    root.put(HEALTH, health.health().code());
    root.put(PENDING, s.pending());
    root.put(OLDEST_PENDING_AGE, s.oldestPendingAge(now).getSeconds());
    root.put(FILES_LOADED, s.loadedInWindow());
    root.put(FILES_QUARANTINED, s.quarantinedInWindow());
    root.put("state", health.health().name());
    root.put("reason", health.reason());
    root.put("do", health.action());
    return root.toString();
  }

  private static void metric(ArrayNode metrics, String name, String unit) {
    metrics.addObject().put("Name", name).put("Unit", unit);
  }
}
