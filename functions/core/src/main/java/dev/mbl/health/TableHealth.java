package dev.mbl.health;

import java.util.List;
import java.util.Objects;

/**
 * A table's health with the one line that says why and the one thing to do; {@code findings}
 * lists every rule that fired, worst first (the first is {@code reason}/{@code action}).
 */
public record TableHealth(TableSnapshot snapshot, Health health, String reason, String action,
    List<Finding> findings) {

  /** One rule that fired. */
  public record Finding(Health health, String reason, String action) {
    public Finding {
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(action, "action");
    }
  }

  public TableHealth {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(action, "action");
    findings = List.copyOf(findings);
  }
}
