package dev.mbl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.event.StatementEvent;
import dev.mbl.event.StatementState;
import dev.mbl.load.StatementName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableResponse;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsRequest;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultRequest;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A stand-in for the Redshift Data API until the local emulator exists: the real SDK interface,
 * statements that stay STARTED until the test finishes them, and a "warehouse" that applies a
 * batch by reading its manifest and files from S3 and recording every line of every file. A
 * file containing {@code BAD} fails its batch like a Redshift load error; scripted outcomes
 * inject isolation conflicts and aborts. Like the real batch SQL, applying a batch id twice
 * changes nothing (the history guard). A failed batch logs one load-error row per {@code BAD}
 * line of every file of its manifest (column {@code amount}, with the columns Redshift's
 * sys_load_error_detail documents), and an ExecuteStatement reading sys_load_error_detail returns them: filtered only by
 * the {@code file_name LIKE '<prefix>%'} of the query, newest first (no start_time filter: the
 * tests' clock is simulated).
 */
public final class FakeDataApi implements RedshiftDataClient {
  public static final String LOAD_ERROR =
      "Load into table 'orders' failed. Check 'stl_load_errors' system table for details.";
  private static final Pattern MANIFEST = Pattern.compile("FROM '(s3://[^']+)'");

  private final S3Client s3;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Statement> statements = new LinkedHashMap<>();
  private final Map<String, String> idByToken = new HashMap<>();
  private final Deque<Outcome> scripted = new ArrayDeque<>();
  private final Set<String> appliedBatches = new HashSet<>();
  private final List<String> loadedLines = new ArrayList<>();
  private final Map<String, List<ColumnMetadata>> tables = new HashMap<>();
  private final List<LoadErrorRow> loadErrors = new ArrayList<>();
  private boolean loadErrorsVisible = true;
  private int submissions;
  private int queries;

  /** One row of the fake's sys_load_error_detail. */
  public record LoadErrorRow(String fileName, long lineNumber, String columnName, String columnType, long position,
      String errorMessage) {}

  /** How a scripted statement ends: its state and error text. */
  public record Outcome(StatementState state, String error) {}

  private static final class Statement {
    final String id;
    final String name;
    final List<String> sql;
    final boolean query;
    final Instant createdAt = Instant.now();
    List<LoadErrorRow> rows = List.of();
    StatementState state = StatementState.STARTED;
    String error;

    Statement(String id, String name, List<String> sql, boolean query) {
      this.id = id;
      this.name = name;
      this.sql = sql;
      this.query = query;
    }
  }

  public FakeDataApi(S3Client s3) {
    this.s3 = s3;
  }

  /** Declares a table's columns for DescribeTable, e.g. {@code table("public", "orders", "id:int8", ...)}. */
  public synchronized FakeDataApi table(String schema, String table, String... columns) {
    List<ColumnMetadata> list = new ArrayList<>();
    for (String column : columns) {
      String[] parts = column.split(":");
      list.add(ColumnMetadata.builder().name(parts[0]).typeName(parts[1]).build());
    }
    tables.put(schema + "." + table, list);
    return this;
  }

  /** The next statement to finish ends this way instead of by its files' content. */
  public synchronized void script(StatementState state, String error) {
    scripted.add(new Outcome(state, error));
  }

  /** Ends every running statement and returns the events the Data API would send. */
  public synchronized List<StatementEvent> finishAll() {
    List<StatementEvent> events = new ArrayList<>();
    for (Statement statement : statements.values()) {
      if (statement.state.terminal()) {
        continue;
      }
      Outcome outcome = scripted.isEmpty() ? (statement.query ? query(statement) : apply(statement))
          : scripted.poll();
      statement.state = outcome.state();
      statement.error = outcome.error();
      events.add(new StatementEvent(UUID.randomUUID().toString(), Instant.now(), List.of(), "arn:aws:iam::1:user/t",
          statement.name, statement.id, -1, statement.state, -1, null));
    }
    return events;
  }

  /** Forgets every statement and client token, as the Data API does after 24 hours; applied batches stay applied. */
  public synchronized void forget() {
    statements.clear();
    idByToken.clear();
  }

  /** Whether queries of sys_load_error_detail see the logged rows (false: the view returns nothing). */
  public synchronized void loadErrorsVisible(boolean visible) {
    loadErrorsVisible = visible;
  }

  /** How many ExecuteStatement calls were accepted (retries with a known token included). */
  public synchronized int queries() {
    return queries;
  }

  /** The ids of every statement submitted with ExecuteStatement, in submission order. */
  public synchronized List<String> queryIds() {
    return statements.values().stream().filter(s -> s.query).map(s -> s.id).toList();
  }

  /** Every line loaded into the warehouse so far, across batches. */
  public synchronized List<String> loadedLines() {
    return List.copyOf(loadedLines);
  }

  /** How many BatchExecuteStatement calls were accepted (retries with a known token included). */
  public synchronized int submissions() {
    return submissions;
  }

  /** The SQL of every distinct statement, in submission order. */
  public synchronized List<List<String>> submittedSql() {
    return statements.values().stream().filter(s -> !s.query).map(s -> s.sql).toList();
  }

  public synchronized long running() {
    return statements.values().stream().filter(s -> !s.state.terminal()).count();
  }

  private Outcome apply(Statement statement) {
    String batchId = StatementName.parse(statement.name).orElseThrow().batchId();
    String manifestUrl = statement.sql.stream().map(MANIFEST::matcher).filter(Matcher::find)
        .map(m -> m.group(1)).findFirst().orElseThrow(() -> new AssertionError("batch without COPY"));
    List<String> lines = new ArrayList<>();
    boolean failed = false;
    try {
      JsonNode manifest = json.readTree(read(manifestUrl));
      for (JsonNode entry : manifest.path("entries")) {
        String url = entry.path("url").asText();
        List<String> content = new String(read(url), StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < content.size(); i++) {
          if (content.get(i).contains("BAD")) {
            failed = true;
            String value = content.get(i).substring(content.get(i).indexOf(',') + 1);
            loadErrors.add(new LoadErrorRow(url, i + 1, "amount", "int8", 0, "Invalid digit, Value '"
                + value.charAt(0) + "', Pos 0, Type: Long"));
          }
        }
        content.stream().filter(l -> !l.isBlank()).forEach(lines::add);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    if (failed) {
      return new Outcome(StatementState.FAILED, LOAD_ERROR);
    }
    if (appliedBatches.add(batchId)) {
      loadedLines.addAll(lines);
    }
    return new Outcome(StatementState.FINISHED, null);
  }

  private static final Pattern LIKE_PREFIX = Pattern.compile("file_name LIKE '([^'%]*)%'");

  private Outcome query(Statement statement) {
    String sql = statement.sql.get(0);
    if (!sql.contains("FROM sys_load_error_detail")) {
      throw new AssertionError("the fake runs only the load-error diagnosis: " + sql);
    }
    Matcher prefix = LIKE_PREFIX.matcher(sql);
    if (!prefix.find()) {
      throw new AssertionError("diagnosis without a file_name prefix: " + sql);
    }
    List<LoadErrorRow> rows = new ArrayList<>();
    if (loadErrorsVisible) {
      for (int i = loadErrors.size() - 1; i >= 0; i--) {
        if (loadErrors.get(i).fileName().startsWith(prefix.group(1))) {
          rows.add(loadErrors.get(i));
        }
      }
    }
    statement.rows = rows;
    return new Outcome(StatementState.FINISHED, null);
  }

  private byte[] read(String url) {
    String rest = url.substring("s3://".length());
    int slash = rest.indexOf('/');
    return s3.getObjectAsBytes(g -> g.bucket(rest.substring(0, slash)).key(rest.substring(slash + 1))).asByteArray();
  }

  @Override
  public synchronized BatchExecuteStatementResponse batchExecuteStatement(BatchExecuteStatementRequest request) {
    if (!Boolean.TRUE.equals(request.withEvent())) {
      throw new AssertionError("mbl must submit with WithEvent=true");
    }
    submissions++;
    String known = request.clientToken() == null ? null : idByToken.get(request.clientToken());
    if (known != null) {
      return BatchExecuteStatementResponse.builder().id(known).build();
    }
    String id = UUID.randomUUID().toString();
    statements.put(id, new Statement(id, request.statementName(), List.copyOf(request.sqls()), false));
    if (request.clientToken() != null) {
      idByToken.put(request.clientToken(), id);
    }
    return BatchExecuteStatementResponse.builder().id(id).build();
  }

  @Override
  public synchronized ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
    if (!Boolean.TRUE.equals(request.withEvent())) {
      throw new AssertionError("mbl must submit with WithEvent=true");
    }
    queries++;
    String known = request.clientToken() == null ? null : idByToken.get(request.clientToken());
    if (known != null) {
      return ExecuteStatementResponse.builder().id(known).build();
    }
    String id = UUID.randomUUID().toString();
    statements.put(id, new Statement(id, request.statementName(), List.of(request.sql()), true));
    if (request.clientToken() != null) {
      idByToken.put(request.clientToken(), id);
    }
    return ExecuteStatementResponse.builder().id(id).build();
  }

  @Override
  public synchronized GetStatementResultResponse getStatementResult(GetStatementResultRequest request) {
    Statement statement = statements.get(request.id());
    if (statement == null) {
      throw ResourceNotFoundException.builder().message("Query does not exist.").build();
    }
    if (statement.state != StatementState.FINISHED || !statement.query) {
      throw ValidationException.builder().message("Query does not have result. Please check query status with "
          + "DescribeStatement.").statusCode(400).build();
    }
    List<List<Field>> records = statement.rows.stream().map(r -> List.of(
        Field.builder().stringValue(r.fileName()).build(), Field.builder().longValue(r.lineNumber()).build(),
        Field.builder().stringValue(r.columnName()).build(), Field.builder().stringValue(r.columnType()).build(),
        Field.builder().longValue(r.position()).build(), Field.builder().stringValue(r.errorMessage()).build()))
        .toList();
    return GetStatementResultResponse.builder().records(records).totalNumRows((long) records.size())
        .columnMetadata(Stream.of("file_name", "line_number", "column_name", "column_type", "position",
            "error_message")
            .map(n -> ColumnMetadata.builder().name(n).build()).toList()).build();
  }

  @Override
  public synchronized DescribeStatementResponse describeStatement(DescribeStatementRequest request) {
    Statement statement = statements.get(request.id());
    if (statement == null) {
      throw ResourceNotFoundException.builder().message("Query does not exist.").build();
    }
    return DescribeStatementResponse.builder().id(statement.id).status(statement.state.name())
        .error(statement.error).build();
  }

  @Override
  public synchronized ListStatementsResponse listStatements(ListStatementsRequest request) {
    List<StatementData> found = statements.values().stream()
        .filter(s -> request.statementName() == null || s.name.startsWith(request.statementName()))
        .map(s -> StatementData.builder().id(s.id).statementName(s.name).status(s.state.name())
            .createdAt(s.createdAt).build())
        .toList();
    return ListStatementsResponse.builder().statements(found).build();
  }

  @Override
  public synchronized DescribeTableResponse describeTable(DescribeTableRequest request) {
    return DescribeTableResponse.builder()
        .columnList(tables.getOrDefault(request.schema() + "." + request.table(), List.of())).build();
  }

  @Override
  public String serviceName() {
    return "redshift-data";
  }

  @Override
  public void close() {}
}
