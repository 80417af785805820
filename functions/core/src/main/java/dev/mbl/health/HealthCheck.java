package dev.mbl.health;

import dev.mbl.config.ConfigRef;
import dev.mbl.config.TableConfig;
import dev.mbl.load.TableKey;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.TableRegistration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The health of every registered table: snapshot from the tracker, freshness expectation from the
 * table's config, the dead-letter depth when a reader for it is given, then {@link HealthRules}.
 * The reconcile's EMF lines and {@code mbl status} both come from here.
 */
public final class HealthCheck {
  private final DynamoDbTracker tracker;
  private final HealthReader reader;
  private final HealthRules rules;
  private final Function<ConfigRef, TableConfig> configs;

  public HealthCheck(DynamoDbTracker tracker, HealthReader reader, HealthRules rules,
      Function<ConfigRef, TableConfig> configs) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.configs = Objects.requireNonNull(configs, "configs");
  }

  /**
   * @param dlqDepth the dead-letter depth of a table's queue, null when unknown (the functions do
   *     not read it: the infra's DeadLetters alarm covers it)
   * @param window files loaded or quarantined within it are counted for the metrics
   */
  public List<TableHealth> all(Instant now, Duration window, Function<TableRegistration, Integer> dlqDepth) {
    List<TableHealth> result = new ArrayList<>();
    for (TableRegistration registration : tracker.registrations()) {
      result.add(one(registration, now, window, dlqDepth));
    }
    result.sort(Comparator.comparing(h -> h.snapshot().table().toString()));
    return result;
  }

  public TableHealth one(TableRegistration registration, Instant now, Duration window,
      Function<TableRegistration, Integer> dlqDepth) {
    TableKey table = registration.table();
    TableSnapshot snapshot = reader.read(table, now, window).withExpectation(expectation(registration.config()))
        .withDlqDepth(dlqDepth.apply(registration));
    return rules.evaluate(snapshot, now);
  }

  /** An unreadable config sets no expectation: the table's loads report that problem themselves. */
  private Duration expectation(ConfigRef config) {
    try {
      return configs.apply(config).expectNewDataWithin();
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}
