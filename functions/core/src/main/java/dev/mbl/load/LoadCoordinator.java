package dev.mbl.load;

import dev.mbl.config.ConfigRef;
import dev.mbl.config.TableConfig;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import dev.mbl.manifest.ManifestWriter;
import dev.mbl.sql.BatchRequest;
import dev.mbl.sql.BatchSqlBuilder;
import dev.mbl.sql.Column;
import dev.mbl.tracker.BatchRecord;
import dev.mbl.tracker.BatchState;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.Lock;
import dev.mbl.tracker.LockLostException;
import dev.mbl.tracker.LockPhase;
import dev.mbl.tracker.Requeue;
import dev.mbl.tracker.TableRegistration;
import dev.mbl.tracker.WorkItem;
import dev.mbl.warehouse.ErrorClassifier;
import dev.mbl.warehouse.StatementRejectedException;
import dev.mbl.warehouse.StatementStatus;
import dev.mbl.warehouse.SubmitOutcomeUnknownException;
import dev.mbl.warehouse.TableColumns;
import dev.mbl.warehouse.Warehouse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The load protocol (docs/protocol.md): starts loads under the table lock, settles them when the
 * statement ends, and repairs whatever a crash or a lost event left behind. Every public method
 * takes the current time and returns what it did as {@link LoadEvent}s; none throws for a
 * problem of one table, so one bad table never stops another.
 */
public final class LoadCoordinator {
  /** Rounds of "lock found expired, repaired, try again" before giving up for this call. */
  private static final int MAX_START_ROUNDS = 4;

  private final DynamoDbTracker tracker;
  private final Function<ConfigRef, TableConfig> configs;
  private final TableColumns columns;
  private final Warehouse warehouse;
  private final ManifestWriter manifests;
  private final BatchSqlBuilder sql;
  private final BatchIds ids;
  private final LoadTimings timings;
  private final Settlement settlement;
  private final BatchDiagnosis diagnosis;
  private final ObjectVersions versions;

  /** Checks object versions with the manifest writer's S3 client (section 6a). */
  public LoadCoordinator(DynamoDbTracker tracker, Function<ConfigRef, TableConfig> configs, TableColumns columns,
      Warehouse warehouse, ManifestWriter manifests, BatchSqlBuilder sql, BatchIds ids, LoadTimings timings) {
    this(tracker, configs, columns, warehouse, manifests, sql, ids, timings, ObjectVersions.of(manifests.s3()));
  }

  public LoadCoordinator(DynamoDbTracker tracker, Function<ConfigRef, TableConfig> configs, TableColumns columns,
      Warehouse warehouse, ManifestWriter manifests, BatchSqlBuilder sql, BatchIds ids, LoadTimings timings,
      ObjectVersions versions) {
    this.versions = Objects.requireNonNull(versions, "versions");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.configs = Objects.requireNonNull(configs, "configs");
    this.columns = Objects.requireNonNull(columns, "columns");
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.manifests = Objects.requireNonNull(manifests, "manifests");
    this.sql = Objects.requireNonNull(sql, "sql");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.timings = Objects.requireNonNull(timings, "timings");
    this.settlement = new Settlement(tracker, configs, timings, versions);
    this.diagnosis = new BatchDiagnosis(tracker, configs, warehouse, timings, settlement);
  }

  /** Starts a load of {@code table} unless one is running or nothing is eligible (rule 2). */
  public List<LoadEvent> start(TableKey table, Instant now) {
    List<LoadEvent> events = new ArrayList<>();
    guarded(table, events, () -> startInto(table, now, events));
    return events;
  }

  /** Settles the batch a status-change event names, then starts the next load (rule 6). */
  public List<LoadEvent> onStatementEvent(StatementEvent event, Instant now) {
    List<LoadEvent> events = new ArrayList<>();
    Optional<StatementName> name = StatementName.parse(event.statementName());
    if (name.isEmpty()) {
      events.add(new LoadEvent("ignored", null, null, event.statementId(), 0,
          "statement name '" + event.statementName() + "' is not one of mbl's"));
      return events;
    }
    TableKey table = name.get().table();
    String batchId = name.get().batchId();
    guarded(table, events, () -> {
      Optional<Lock> lock = tracker.lock(table);
      if (lock.isEmpty() || !lock.get().batchId().equals(batchId)) {
        events.add(new LoadEvent("ignored", table, batchId, event.statementId(), 0,
            "batch no longer holds the lock: already settled (a repeated or late event)"));
        return;
      }
      Lock held = lock.get();
      if (name.get().diagnosis()) {
        onDiagnosisEvent(held, event, now, events);
        return;
      }
      if (held.phase() == LockPhase.DIAGNOSING) {
        events.add(new LoadEvent("ignored", table, batchId, event.statementId(), 0,
            "the batch already failed and is being diagnosed (a repeated or late event)"));
        return;
      }
      if (held.phase() == LockPhase.CLAIMING || held.phase() == LockPhase.ROLLING_BACK) {
        events.add(new LoadEvent("ignored", table, batchId, event.statementId(), 0,
            "batch is in phase " + held.phase() + "; a statement event cannot belong to it"));
        return;
      }
      if (held.statementId() != null && !held.statementId().equals(event.statementId())) {
        events.add(new LoadEvent("ignored", table, batchId, event.statementId(), 0,
            "event is for an earlier submission; the batch now runs " + held.statementId()));
        return;
      }
      if (held.phase() == LockPhase.SUBMITTING) {
        tracker.markRunning(table, batchId, event.statementId(), now, now.plus(timings.runningLease()));
      }
      if (settleStatement(table, batchId, statusOf(event), now, events)) {
        startInto(table, now, events);
      }
    });
    return events;
  }

  private void onDiagnosisEvent(Lock held, StatementEvent event, Instant now, List<LoadEvent> events) {
    if (held.phase() != LockPhase.DIAGNOSING) {
      events.add(new LoadEvent("ignored", held.table(), held.batchId(), event.statementId(), 0,
          "a diagnosis event, but the batch is in phase " + held.phase()));
      return;
    }
    if (held.diagnosisId() != null && !held.diagnosisId().equals(event.statementId())) {
      events.add(new LoadEvent("ignored", held.table(), held.batchId(), event.statementId(), 0,
          "event is for another diagnostic query; the batch's is " + held.diagnosisId()));
      return;
    }
    diagnosis.onEvent(held.table(), held.batchId(), held.diagnosisId(), statusOf(event), now, events);
    startInto(held.table(), now, events);
  }

  /** FINISHED is taken from the event; a failure's text only DescribeStatement has. */
  private StatementStatus statusOf(StatementEvent event) {
    return event.state() == StatementState.FINISHED
        ? new StatementStatus(event.statementId(), StatementState.FINISHED, null)
        : warehouse.describe(event.statementId())
            .orElse(new StatementStatus(event.statementId(), event.state(), null));
  }

  /**
   * Settles a batch whose statement ended; a load error starts its diagnosis instead. Returns true
   * when the lock was released (so the caller starts the next load).
   */
  private boolean settleStatement(TableKey table, String batchId, StatementStatus status, Instant now,
      List<LoadEvent> events) {
    if (status.state() == StatementState.FAILED && ErrorClassifier.isLoadError(status.error())
        && diagnosis.begin(table, batchId, status.error(), status.statementId(), now, events)) {
      return false;
    }
    settlement.settle(table, batchId, status, now, events);
    return true;
  }

  /**
   * The scheduled repair (rule 7): for every registered table, a lock whose lease expired or whose
   * statement has not been checked for a while is repaired, and pending work with no lock held
   * gets a load started.
   */
  public List<LoadEvent> reconcile(Instant now) {
    List<LoadEvent> events = new ArrayList<>();
    for (TableRegistration registration : tracker.registrations()) {
      TableKey table = registration.table();
      guarded(table, events, () -> {
        Optional<Lock> lock = tracker.lock(table);
        if (lock.isPresent() && repairDue(lock.get(), now)) {
          repair(lock.get(), now, events);
        }
        startInto(table, now, events);
      });
    }
    return events;
  }

  // ---------------------------------------------------------------- starting

  private void startInto(TableKey table, Instant now, List<LoadEvent> events) {
    for (int round = 0; round < MAX_START_ROUNDS; round++) {
      Optional<Lock> lock = tracker.lock(table);
      if (lock.isPresent()) {
        if (!lock.get().expiredAt(now)) {
          events.add(new LoadEvent("busy", table, lock.get().batchId(), lock.get().statementId(), 0,
              "a load of this table is " + lock.get().phase()));
          return;
        }
        repair(lock.get(), now, events);
        continue;
      }
      if (tracker.eligibleWork(table, now, 1).isEmpty()) {
        events.add(LoadEvent.of("idle", table, null, 0, "nothing eligible to load"));
        return;
      }
      String batchId = ids.next(now);
      if (!tracker.acquire(table, batchId, now, now.plus(timings.startLease()))) {
        continue;
      }
      if (!startHolding(table, batchId, now, events)) {
        return;
      }
      // Nothing was eligible once the lock was ours: released; look again (rule 3).
    }
  }

  /**
   * Runs a start while holding the lock. Returns true only when it released the lock because no
   * work was eligible (so the caller looks again); false when it started, deferred or gave up.
   */
  private boolean startHolding(TableKey table, String batchId, Instant now, List<LoadEvent> events) {
    List<WorkItem> first = tracker.eligibleWork(table, now, 1);
    if (first.isEmpty()) {
      tracker.release(table, batchId);
      return true;
    }
    TableConfig config;
    List<Column> tableColumns;
    try {
      config = configs.apply(first.get(0).config());
      tableColumns = columns.of(config.target(), config.table());
    } catch (RuntimeException setup) {
      tracker.release(table, batchId);
      events.add(LoadEvent.of("deferred", table, batchId, 0, setup.getMessage()));
      return false;
    }
    List<WorkItem> batch;
    try {
      batch = current(table, batchId, select(tracker.eligibleWork(table, now, config.limits().maxFiles() * 2), config),
          now, events);
    } catch (LockLostException lost) {
      events.add(LoadEvent.of("lock-lost", table, batchId, 0, lost.getMessage()));
      return false;
    } catch (RuntimeException failed) {
      rollback(table, batchId, true, timings.setupPause().toMillis(), failed.getMessage(), now, events);
      return false;
    }
    if (batch.isEmpty()) {
      tracker.release(table, batchId);
      return true;
    }
    long bytes = batch.stream().mapToLong(WorkItem::size).sum();
    int attempt = batch.stream().mapToInt(WorkItem::attempts).max().orElse(0);
    StatementName name = new StatementName(config.statementPrefix(), table, batchId);
    List<String> statements;
    try {
      tracker.createBatch(BatchRecord.claiming(table, batchId, batch.stream().map(WorkItem::sortKey).toList(), bytes,
          batch.get(0).config(), batch.get(0).group(), attempt, now), now);
      tracker.claim(table, batchId, batch, now);
      String manifestUrl = manifests.write(table, batchId, batch);
      statements = sql.build(new BatchRequest(config, tableColumns, manifestUrl, batchId, batch.size(), now))
          .statements();
      tracker.markSubmitting(table, batchId, manifestUrl, name.toString(), now);
    } catch (LockLostException lost) {
      events.add(LoadEvent.of("lock-lost", table, batchId, batch.size(), lost.getMessage()));
      return false;
    } catch (RuntimeException failed) {
      rollback(table, batchId, true, timings.setupPause().toMillis(), failed.getMessage(), now, events);
      return false;
    }
    submit(table, batchId, config, statements, name, now, events);
    return false;
  }

  /**
   * The taken files whose version is still the object under their key; the others are superseded
   * now, under the lock (section 6a).
   */
  private List<WorkItem> current(TableKey table, String batchId, List<WorkItem> taken, Instant now,
      List<LoadEvent> events) {
    VersionCheck.Split split = VersionCheck.split(taken, versions);
    if (!split.unanswered().isEmpty()) {
      if (split.current().isEmpty() && split.superseded().isEmpty() && split.vanished().isEmpty()) {
        throw new IllegalStateException("S3 did not say which version of any file is current: " + split.firstError());
      }
      events.add(LoadEvent.of("version-unknown", table, batchId, split.unanswered().size(), "left for a later batch: S3 "
          + "did not say which version is current (" + split.firstError() + ")"));
    }
    if (!split.vanished().isEmpty()) {
      tracker.quarantinePending(table, batchId, split.vanished(), now);
      split.vanished().forEach(v -> events.add(LoadEvent.of("quarantined", table, batchId, 1, v.reason())));
    }
    if (!split.superseded().isEmpty()) {
      tracker.supersede(table, batchId, split.superseded(), now);
      split.superseded().forEach(s -> events.add(LoadEvent.of("superseded", table, batchId, 1, s.reason())));
    }
    return split.current();
  }

  /**
   * Files of one config and one split group, in arrival order, within the batch limits, and at
   * most one per URL: COPY reads the object under a URL, so a second entry would read it twice.
   */
  private static List<WorkItem> select(List<WorkItem> eligible, TableConfig config) {
    WorkItem head = eligible.get(0);
    List<WorkItem> chosen = new ArrayList<>();
    java.util.Set<String> urls = new java.util.HashSet<>();
    long bytes = 0;
    for (WorkItem item : eligible) {
      if (!item.config().equals(head.config()) || !Objects.equals(item.group(), head.group())
          || urls.contains(item.url())) {
        continue;
      }
      if (chosen.size() == config.limits().maxFiles()
          || (!chosen.isEmpty() && bytes + item.size() > config.limits().maxBytes())) {
        break;
      }
      chosen.add(item);
      urls.add(item.url());
      bytes += item.size();
    }
    return chosen;
  }

  private void submit(TableKey table, String batchId, TableConfig config, List<String> statements,
      StatementName name, Instant now, List<LoadEvent> events) {
    String statementId;
    try {
      statementId = warehouse.submitBatch(config.target(), statements, name.toString(), clientToken(table, batchId));
    } catch (StatementRejectedException rejected) {
      // Never roll back once SUBMITTING: a repairer may already have resubmitted this batch, and
      // requeueing its files could load them twice. The batch waits and is resubmitted as itself.
      tracker.touch(table, batchId, now, now.plus(rejected.transientRefusal() ? timings.retryBase()
          : timings.setupPause()));
      events.add(LoadEvent.of("submit-rejected", table, batchId, 0, rejected.getMessage()));
      return;
    } catch (SubmitOutcomeUnknownException unknown) {
      // The lock stays SUBMITTING; its short lease expires and repair rolls forward.
      events.add(LoadEvent.of("submit-unknown", table, batchId, 0, unknown.getMessage()));
      return;
    }
    tracker.markRunning(table, batchId, statementId, now, now.plus(timings.runningLease()));
    BatchRecord record = tracker.batch(table, batchId).orElseThrow();
    events.add(new LoadEvent("started", table, batchId, statementId, record.fileCount(),
        record.bytes() + " bytes, manifest " + record.manifestUrl()));
  }

  // ---------------------------------------------------------------- repairing

  private boolean repairDue(Lock lock, Instant now) {
    boolean checkDue = !now.isBefore(lock.checkedAt().plus(timings.checkRunningAfter()));
    return lock.expiredAt(now)
        || (lock.phase() == LockPhase.RUNNING && checkDue)
        || (lock.phase() == LockPhase.DIAGNOSING && lock.diagnosisId() != null && checkDue);
  }

  private void repair(Lock lock, Instant now, List<LoadEvent> events) {
    switch (lock.phase()) {
      case CLAIMING, ROLLING_BACK -> rollback(lock.table(), lock.batchId(), true, 0,
          "the loader stopped while claiming files", now, events);
      case SUBMITTING -> rollForward(lock, now, events);
      case RUNNING -> checkRunning(lock.table(), lock.batchId(), lock.statementId(), now, events);
      case DIAGNOSING -> diagnosis.repair(lock.table(), lock.batchId(), lock.diagnosisId(), now, events);
    }
  }

  /** A batch that may have been submitted: adopt the statement by name, else resubmit the same batch. */
  private void rollForward(Lock lock, Instant now, List<LoadEvent> events) {
    TableKey table = lock.table();
    String batchId = lock.batchId();
    Optional<BatchRecord> found = tracker.batch(table, batchId);
    if (found.isEmpty() || found.get().statementName() == null) {
      rollback(table, batchId, false, 0, "batch record incomplete before submission", now, events);
      return;
    }
    BatchRecord batch = found.get();
    TableConfig config = configs.apply(batch.config());
    Optional<StatementStatus> existing = warehouse.findByName(config.target(), batch.statementName());
    if (existing.isPresent()) {
      tracker.markRunning(table, batchId, existing.get().statementId(), now, now.plus(timings.runningLease()));
      events.add(new LoadEvent("adopted", table, batchId, existing.get().statementId(), batch.fileCount(),
          "found the submitted statement by name"));
      checkRunning(table, batchId, existing.get().statementId(), now, events);
      return;
    }
    resubmit(batch, config, now, events);
  }

  /**
   * Submits the batch again under its own id: the same manifest, the same SQL (built with the
   * batch's creation time) and the same client token. The SQL's history guard makes a re-run of a
   * batch that did commit change nothing.
   */
  private void resubmit(BatchRecord batch, TableConfig config, Instant now, List<LoadEvent> events) {
    TableKey table = batch.table();
    List<String> statements = sql.build(new BatchRequest(config, columns.of(config.target(), config.table()),
        batch.manifestUrl(), batch.batchId(), batch.fileCount(), batch.createdAt())).statements();
    StatementName name = StatementName.parse(batch.statementName()).orElseThrow();
    Lock lock = tracker.lock(table).orElseThrow(() -> new LockLostException(table, batch.batchId(), "resubmit"));
    if (lock.phase() == LockPhase.RUNNING) {
      tracker.touch(table, batch.batchId(), now, now.plus(timings.startLease()));
    }
    submit(table, batch.batchId(), config, statements, name, now, events);
  }

  private void checkRunning(TableKey table, String batchId, String statementId, Instant now, List<LoadEvent> events) {
    Optional<StatementStatus> status = warehouse.describe(statementId);
    if (status.isEmpty()) {
      BatchRecord batch = tracker.batch(table, batchId).orElseThrow();
      events.add(new LoadEvent("forgotten", table, batchId, statementId, batch.fileCount(),
          "the Data API no longer knows the statement; resubmitting the same batch"));
      resubmit(batch, configs.apply(batch.config()), now, events);
      return;
    }
    if (!status.get().state().terminal()) {
      tracker.touch(table, batchId, now, now.plus(timings.runningLease()));
      events.add(new LoadEvent("still-running", table, batchId, statementId, 0, status.get().state().name()));
      return;
    }
    settleStatement(table, batchId, status.get(), now, events);
  }

  private void rollback(TableKey table, String batchId, boolean fence, long pauseMillis, String reason, Instant now,
      List<LoadEvent> events) {
    try {
      if (fence) {
        tracker.fence(table, batchId, now);
      }
      Optional<BatchRecord> batch = tracker.batch(table, batchId);
      if (batch.isPresent()) {
        long notBefore = pauseMillis == 0 ? 0 : now.toEpochMilli() + pauseMillis;
        tracker.requeue(table, batchId,
            batch.get().workKeys().stream().map(k -> new Requeue(k, 0, notBefore, null)).toList(), now);
        tracker.finishBatch(table, batchId, BatchState.ROLLED_BACK, reason, "ROLLBACK", now);
      }
      tracker.release(table, batchId);
      events.add(LoadEvent.of("rolled-back", table, batchId, batch.map(BatchRecord::fileCount).orElse(0), reason));
    } catch (LockLostException lost) {
      events.add(LoadEvent.of("lock-lost", table, batchId, 0, lost.getMessage()));
    }
  }

  /**
   * The Data API client token of a batch: its id plus its table's fingerprint. Resubmitting the
   * same batch reuses it (so the service returns the first statement); batches of different tables
   * can never share one, even if two instances restored from one SnapStart snapshot drew the same
   * random bits for their batch ids in the same millisecond.
   */
  static String clientToken(TableKey table, String batchId) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(table.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return batchId + "-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void guarded(TableKey table, List<LoadEvent> events, Runnable step) {
    try {
      step.run();
    } catch (LockLostException lost) {
      events.add(LoadEvent.of("lock-lost", table, null, 0, lost.getMessage()));
    } catch (RuntimeException failed) {
      events.add(LoadEvent.of("error", table, null, 0, failed.getClass().getSimpleName() + ": " + failed.getMessage()));
    }
  }
}
