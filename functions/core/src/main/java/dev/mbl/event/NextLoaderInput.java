package dev.mbl.event;

import java.util.Objects;

/**
 * What NextLoader was invoked for: a statement ended, or it is time to reconcile. Read with
 * {@link NextLoaderInputParser}.
 */
public sealed interface NextLoaderInput {

  /**
   * A Data API statement reached a terminal state.
   *
   * @param event the status change; not null
   */
  record StatusChange(StatementEvent event) implements NextLoaderInput {
    public StatusChange {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * Repair what events never reached: the one-minute schedule or a manual invocation.
   *
   * @param trigger for logs, what asked: {@code "manual"}, or {@code "schedule"} followed by the
   *     rule ARN when the event named one; not null
   */
  record Reconcile(String trigger) implements NextLoaderInput {
    public Reconcile {
      Objects.requireNonNull(trigger, "trigger");
    }
  }
}
