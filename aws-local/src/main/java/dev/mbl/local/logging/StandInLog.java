package dev.mbl.local.logging;

import java.time.Instant;

/**
 * Where a stand-in reports what AWS would report out of band (a notification S3 could not
 * deliver, an event the bus dropped, an asynchronous invocation that failed for good). The stand-ins
 * know nothing of mbl; the local runtime passes its JSON log's {@code message} method.
 */
@FunctionalInterface
public interface StandInLog {
  /**
   * @param component the reporting stand-in or function, e.g. {@code S3}, {@code EventBus}, {@code BulkLoader}
   * @param level {@code INFO}, {@code WARN} or {@code ERROR}
   * @param action a short kebab-case name, e.g. {@code notification-failed}
   * @param resource the queue or resource concerned; nullable
   * @param id the message, event or request id; nullable
   * @param detail what happened, for a person
   * @param at when
   */
  void message(String component, String level, String action, String resource, String id, String detail, Instant at);

  /** A log that drops every line (tests that do not look at it). */
  static StandInLog discard() {
    return (component, level, action, resource, id, detail, at) -> { };
  }
}
