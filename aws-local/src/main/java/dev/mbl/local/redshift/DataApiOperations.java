package dev.mbl.local.redshift;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The Data API operations the emulator serves, from a request body to a response body:
 * ExecuteStatement, BatchExecuteStatement, DescribeStatement, GetStatementResult, ListStatements,
 * CancelStatement and DescribeTable. Submissions run on {@code executor}.
 */
final class DataApiOperations {
  private static final int RESULT_PAGE = 1_000;
  private static final String NO_RESULT = "Query does not have result. Please check query status with "
      + "DescribeStatement.";

  private final StatementStore store;
  private final StatementRunner runner;
  private final Executor executor;
  private final TableDescriber tables;
  private final TestSwitches switches;

  DataApiOperations(StatementStore store, StatementRunner runner, Executor executor, TableDescriber tables,
      TestSwitches switches) {
    this.switches = Objects.requireNonNull(switches, "switches");
    this.store = Objects.requireNonNull(store, "store");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.tables = Objects.requireNonNull(tables, "tables");
  }

  /** Runs {@code operation}; throws {@link DataApiException} for the errors the service reports. */
  JsonNode handle(String operation, JsonNode body) {
    if (switches.takeThrottle()) {
      throw DataApiException.throttling();
    }
    return switch (operation) {
      case "ExecuteStatement" -> submit(DataApiJson.submit(body, false));
      case "BatchExecuteStatement" -> submit(DataApiJson.submit(body, true));
      case "DescribeStatement" -> describe(DataApiJson.id(body));
      case "GetStatementResult" -> result(DataApiJson.id(body), body.path("NextToken").asText(""));
      case "ListStatements" -> list(DataApiJson.list(body));
      case "CancelStatement" -> cancel(DataApiJson.id(body));
      case "DescribeTable" -> describeTable(DataApiJson.table(body));
      default -> throw DataApiException.unknownOperation("Operation " + operation + " is not emulated by the local "
          + "Data API (supported: ExecuteStatement, BatchExecuteStatement, DescribeStatement, GetStatementResult, "
          + "ListStatements, CancelStatement, DescribeTable)");
    };
  }

  private JsonNode submit(SubmitRequest request) {
    if (switches.takeRefusal()) {
      throw DataApiException.activeStatementsExceeded("Active statements exceeded the allowed quota ("
          + StatementStore.MAX_ACTIVE + ").");
    }
    StatementStore.Submission submission = store.submit(request, Instant.now());
    if (submission.created()) {
      executor.execute(() -> runner.run(submission.statement()));
    }
    return DataApiJson.submitted(submission.statement().view());
  }

  private JsonNode describe(String id) {
    StatementStore.Found found = store.find(id);
    Statement.View view = found.statement().view();
    return found.subIndex() < 0 ? DataApiJson.describe(view)
        : DataApiJson.describe(view, view.subs().get(found.subIndex()));
  }

  private JsonNode result(String id, String nextToken) {
    StatementStore.Found found = store.find(id);
    Statement.View view = found.statement().view();
    if (found.subIndex() < 0 && view.request().batch()) {
      throw DataApiException.validation("Id " + id + " is a batch: ask for the result of one of its statements, "
          + "such as " + id + ":1");
    }
    Statement.SubView sub = view.subs().get(Math.max(found.subIndex(), 0));
    if (sub.status() != StatementStatus.FINISHED || sub.result() == null) {
      throw DataApiException.notFound(NO_RESULT, id);
    }
    int offset = 0;
    if (!nextToken.isEmpty()) {
      try {
        offset = Integer.parseInt(nextToken.substring("row-".length()));
      } catch (RuntimeException e) {
        throw DataApiException.validation("NextToken '" + nextToken + "' is not valid");
      }
    }
    return DataApiJson.result(sub.result(), offset, RESULT_PAGE);
  }

  private JsonNode list(DataApiJson.ListRequest request) {
    Predicate<Statement.View> filter = view -> {
      SubmitRequest submitted = view.request();
      return (request.statementName() == null || (submitted.statementName() != null
          && submitted.statementName().startsWith(request.statementName())))
          && (request.status() == StatementStatus.ALL || request.status() == view.status())
          && (request.clusterIdentifier() == null || request.clusterIdentifier().equals(submitted.clusterIdentifier()))
          && (request.workgroupName() == null || request.workgroupName().equals(submitted.workgroupName()))
          && (request.database() == null || request.database().equals(submitted.database()));
    };
    return DataApiJson.list(store.list(filter, request.maxResults(), request.nextToken()));
  }

  private JsonNode cancel(String id) {
    StatementStore.Found found = store.find(id);
    if (found.subIndex() >= 0) {
      throw DataApiException.validation("Cancel the whole batch by its Id, not the sub-statement " + id);
    }
    if (found.statement().cancel()) {
      runner.notify(found.statement());
    }
    switches.wake();
    return DataApiJson.cancelled();
  }

  private JsonNode describeTable(DataApiJson.TableRequest request) {
    try {
      return DataApiJson.table(tables.describe(request.schema(), request.table(), request.maxResults(),
          request.nextToken()));
    } catch (SQLException e) {
      throw DataApiException.internal("DescribeTable failed on the emulator's PostgreSQL: " + e.getMessage());
    }
  }
}
