package dev.mbl.local.redshift;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One submitted statement or batch and its sub-statements, moving SUBMITTED, PICKED, STARTED,
 * then FINISHED, FAILED or ABORTED. Thread-safe: the runner, CancelStatement and readers meet
 * here; readers get immutable {@link View}s.
 */
final class Statement {
  /** A statement as DescribeStatement and ListStatements report it. */
  record View(String id, long sequence, SubmitRequest request, StatementStatus status, String error,
      Instant createdAt, Instant updatedAt, long durationNanos, long redshiftPid, long redshiftQueryId,
      long resultRows, long resultSize, boolean hasResultSet, List<SubView> subs) {}

  /** One sub-statement; its id is the statement's with {@code :n}. */
  record SubView(String id, StatementStatus status, String error, String queryString, Instant createdAt,
      Instant updatedAt, long durationNanos, long resultRows, long resultSize, long redshiftQueryId,
      boolean hasResultSet, ResultTable result) {}

  private static final class Sub {
    final String sql;
    StatementStatus status = StatementStatus.SUBMITTED;
    String error;
    Instant updatedAt;
    Instant startedAt;
    Instant endedAt;
    long rows;
    long queryId;
    ResultTable result;

    Sub(String sql, Instant createdAt) {
      this.sql = sql;
      this.updatedAt = createdAt;
    }
  }

  private final String id;
  private final long sequence;
  private final SubmitRequest request;
  private final Instant createdAt;
  private final List<Sub> subs = new ArrayList<>();
  private StatementStatus status = StatementStatus.SUBMITTED;
  private String error;
  private Instant updatedAt;
  private Instant startedAt;
  private Instant endedAt;
  private long pid;
  private boolean cancelRequested;
  private java.sql.Statement running;

  Statement(String id, long sequence, SubmitRequest request, Instant createdAt) {
    this.id = Objects.requireNonNull(id, "id");
    this.sequence = sequence;
    this.request = Objects.requireNonNull(request, "request");
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
    request.sqls().forEach(sql -> subs.add(new Sub(sql, createdAt)));
  }

  String id() {
    return id;
  }

  SubmitRequest request() {
    return request;
  }

  Instant createdAt() {
    return createdAt;
  }

  /** SUBMITTED to PICKED; false when the statement was cancelled before it was picked. */
  synchronized boolean pick() {
    if (status.terminal()) {
      return false;
    }
    status = StatementStatus.PICKED;
    updatedAt = Instant.now();
    return true;
  }

  /** PICKED to STARTED; false when a cancel ended the statement first. */
  synchronized boolean start(long backendPid) {
    if (status.terminal()) {
      return false;
    }
    status = StatementStatus.STARTED;
    pid = backendPid;
    startedAt = Instant.now();
    updatedAt = startedAt;
    return true;
  }

  /** Starts sub-statement {@code index}; false when a cancel came first. */
  synchronized boolean startSub(int index, long queryId) {
    if (cancelRequested) {
      return false;
    }
    Sub sub = subs.get(index);
    sub.status = StatementStatus.STARTED;
    sub.queryId = queryId;
    sub.startedAt = Instant.now();
    sub.updatedAt = sub.startedAt;
    updatedAt = sub.startedAt;
    return true;
  }

  synchronized void running(java.sql.Statement statement) {
    running = statement;
  }

  synchronized void finishSub(int index, long rows, ResultTable result) {
    Sub sub = subs.get(index);
    sub.status = StatementStatus.FINISHED;
    sub.rows = rows;
    sub.result = result;
    sub.endedAt = Instant.now();
    sub.updatedAt = sub.endedAt;
    running = null;
  }

  /**
   * Ends the statement; a failed sub-statement gets {@code subError}, the ones after it ABORTED.
   * Returns false, changing nothing, when it had already ended.
   */
  synchronized boolean end(StatementStatus state, int failedSub, String subError) {
    if (status.terminal()) {
      return false;
    }
    Instant now = Instant.now();
    for (int i = 0; i < subs.size(); i++) {
      Sub sub = subs.get(i);
      if (!sub.status.terminal()) {
        sub.status = i == failedSub && state == StatementStatus.FAILED ? StatementStatus.FAILED : StatementStatus.ABORTED;
        sub.error = i == failedSub ? subError : null;
        sub.endedAt = sub.startedAt == null ? null : now;
        sub.updatedAt = now;
      } else if (i == failedSub) {
        sub.status = state;
        sub.error = subError;
      }
    }
    status = state;
    error = state == StatementStatus.FINISHED ? null : subError;
    endedAt = startedAt == null ? null : now;
    updatedAt = now;
    running = null;
    return true;
  }

  /**
   * Cancels: a statement not started yet ends ABORTED at once (returns true); a running one is
   * asked to stop (returns false, the runner ends it). Throws when it has already ended.
   */
  boolean cancel() {
    java.sql.Statement toCancel;
    synchronized (this) {
      if (status.terminal()) {
        throw DataApiException.validation("Could not cancel a query that is already in " + status + " state.");
      }
      cancelRequested = true;
      if (status != StatementStatus.STARTED) {
        return end(StatementStatus.ABORTED, -1, null);
      }
      toCancel = running;
    }
    if (toCancel != null) {
      try {
        toCancel.cancel();
      } catch (SQLException ignored) {
        // the runner sees the cancel flag before its next statement
      }
    }
    return false;
  }

  synchronized boolean cancelRequested() {
    return cancelRequested;
  }

  synchronized StatementStatus status() {
    return status;
  }

  synchronized View view() {
    Instant now = Instant.now();
    List<SubView> subViews = new ArrayList<>();
    long rows = 0;
    long size = 0;
    long lastQuery = 0;
    boolean results = false;
    for (int i = 0; i < subs.size(); i++) {
      Sub sub = subs.get(i);
      long subSize = sub.result == null ? 0 : sub.result.size();
      subViews.add(new SubView(id + ":" + (i + 1), sub.status, sub.error, sub.sql, createdAt, sub.updatedAt,
          nanos(sub.startedAt, sub.endedAt, now), sub.rows, subSize, sub.queryId, sub.result != null, sub.result));
      rows += sub.rows;
      size += subSize;
      results |= sub.result != null;
      lastQuery = sub.queryId != 0 ? sub.queryId : lastQuery;
    }
    return new View(id, sequence, request, status, error, createdAt, updatedAt, nanos(startedAt, endedAt, now), pid,
        lastQuery, rows, size, results, List.copyOf(subViews));
  }

  private static long nanos(Instant started, Instant ended, Instant now) {
    if (started == null) {
      return -1;
    }
    return Duration.between(started, ended == null ? now : ended).toNanos();
  }
}
