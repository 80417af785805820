package dev.mbl.local.redshift;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The statements the emulator knows, kept 24 hours like the Data API: lookup by id (with or
 * without a {@code :n} sub-statement suffix), client-token idempotency, the active-statement
 * quota, and listing newest first with a NextToken. Thread-safe.
 */
final class StatementStore {
  /** How long the Data API remembers a statement. */
  static final Duration RETENTION = Duration.ofHours(24);
  /** The Data API's quota of statements not yet ended. */
  static final int MAX_ACTIVE = 500;

  /** A statement or one of its sub-statements, found by id. */
  record Found(Statement statement, int subIndex) {}

  /** The statement a submission names, and whether this submission created it. */
  record Submission(Statement statement, boolean created) {}

  /** One page of a listing: the statements and the token of the next page, or null. */
  record Page(List<Statement.View> statements, String nextToken) {}

  private final Map<String, Statement> byId = new LinkedHashMap<>();
  private final Map<String, String> idByToken = new HashMap<>();
  private long sequence;

  /** Registers a new statement, or returns the one submitted earlier with the same client token. */
  synchronized Submission submit(SubmitRequest request, Instant now) {
    expire(now);
    if (request.clientToken() != null) {
      Statement known = byId.get(idByToken.get(request.clientToken()));
      if (known != null) {
        return new Submission(known, false);
      }
    }
    long active = byId.values().stream().filter(s -> !s.status().terminal()).count();
    if (active >= MAX_ACTIVE) {
      throw DataApiException.activeStatementsExceeded("Active statements exceeded the allowed quota ("
          + MAX_ACTIVE + ").");
    }
    Statement statement = new Statement(UUID.randomUUID().toString(), ++sequence, request, now);
    byId.put(statement.id(), statement);
    if (request.clientToken() != null) {
      idByToken.put(request.clientToken(), statement.id());
    }
    return new Submission(statement, true);
  }

  /** The statement with {@code id}; for {@code id:n}, its n-th sub-statement (subIndex n-1, else -1). */
  synchronized Found find(String id) {
    if (id == null || id.isBlank()) {
      throw DataApiException.validation("Id is required");
    }
    int colon = id.lastIndexOf(':');
    String base = colon < 0 ? id : id.substring(0, colon);
    Statement statement = byId.get(base);
    int sub = -1;
    if (statement != null && colon >= 0) {
      try {
        sub = Integer.parseInt(id.substring(colon + 1)) - 1;
      } catch (NumberFormatException e) {
        sub = Integer.MAX_VALUE;
      }
      if (sub < 0 || sub >= statement.request().sqls().size()) {
        statement = null;
      }
    }
    if (statement == null) {
      throw DataApiException.notFound("Query does not exist.", id);
    }
    return new Found(statement, sub);
  }

  /** Statements matching {@code filter}, newest first, {@code max} per page after the page token. */
  synchronized Page list(Predicate<Statement.View> filter, int max, String token) {
    long before = token == null || token.isEmpty() ? Long.MAX_VALUE : parseToken(token);
    List<Statement.View> newestFirst = new ArrayList<>();
    List<Statement> all = new ArrayList<>(byId.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      Statement.View view = all.get(i).view();
      if (view.sequence() < before && filter.test(view)) {
        newestFirst.add(view);
      }
    }
    if (newestFirst.size() <= max) {
      return new Page(newestFirst, null);
    }
    List<Statement.View> page = List.copyOf(newestFirst.subList(0, max));
    return new Page(page, "seq-" + page.get(max - 1).sequence());
  }

  /** Every statement that has not ended. */
  synchronized List<Statement> active() {
    return byId.values().stream().filter(s -> !s.status().terminal()).toList();
  }

  private static long parseToken(String token) {
    try {
      if (token.startsWith("seq-")) {
        return Long.parseLong(token.substring(4));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw DataApiException.validation("NextToken '" + token + "' is not valid");
  }

  private void expire(Instant now) {
    Instant cutoff = now.minus(RETENTION);
    for (Iterator<Statement> it = byId.values().iterator(); it.hasNext(); ) {
      Statement statement = it.next();
      if (statement.createdAt().isBefore(cutoff) && statement.status().terminal()) {
        it.remove();
        idByToken.values().remove(statement.id());
      }
    }
  }
}
