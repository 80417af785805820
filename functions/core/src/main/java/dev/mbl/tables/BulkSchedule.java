package dev.mbl.tables;

import java.util.Objects;

/**
 * A recurring BulkLoader run for one table, normally the previous day's partition.
 *
 * @param expression an EventBridge Scheduler expression, e.g. {@code cron(30 1 * * ? *)}
 * @param prefix the path template: {@code s3://bucket/key/{yesterday:yyyy/MM/dd}/}, or a key template
 *     relative to the table's landing bucket such as {@code orders/{yesterday:yyyy/MM/dd}/}
 * @param timeZone the IANA zone the schedule fires in and the date placeholders resolve in
 */
public record BulkSchedule(String expression, String prefix, String timeZone) {
  public BulkSchedule {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(timeZone, "timeZone");
  }

  /** Whether {@link #prefix} names its own bucket rather than the landing bucket. */
  public boolean absolute() {
    return prefix.startsWith("s3://");
  }

  /** The bucket of an absolute prefix. */
  public String bucket() {
    String rest = prefix.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The key template: everything after the bucket of an absolute prefix, or the whole relative one. */
  public String keyTemplate() {
    if (!absolute()) {
      return prefix;
    }
    String rest = prefix.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? "" : rest.substring(slash + 1);
  }

  /** The fixed part of the key template, before its first date placeholder: what BulkLoader may list. */
  public String staticKeyPrefix() {
    String keys = keyTemplate();
    int placeholder = keys.indexOf('{');
    return placeholder < 0 ? keys : keys.substring(0, placeholder);
  }
}
