package dev.mbl.local.redshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Data API's awsJson1_1 bodies: reads requests into validated values and writes responses
 * with the service model's member names (Id, Status, SubStatements, Records, ColumnMetadata,
 * ...). Timestamps are epoch seconds with milliseconds, as the protocol writes them. Pure.
 */
final class DataApiJson {
  /** A ListStatements request; nullable filters are null when absent. */
  record ListRequest(String statementName, StatementStatus status, int maxResults, String nextToken,
      String clusterIdentifier, String workgroupName, String database) {}

  /** A DescribeTable request; schema and table are null when absent. */
  record TableRequest(String schema, String table, int maxResults, String nextToken) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final int MAX_LIST_RESULTS = 100;

  private DataApiJson() {}

  static SubmitRequest submit(JsonNode body, boolean batch) {
    if (body.hasNonNull("SessionId") || body.hasNonNull("SessionKeepAliveSeconds")) {
      throw DataApiException.validation("Sessions (SessionId, SessionKeepAliveSeconds) are not emulated by the "
          + "local Data API: every request runs in a session of its own");
    }
    String format = text(body, "ResultFormat");
    if (format != null && !format.equals("JSON")) {
      throw DataApiException.validation("ResultFormat " + format + " is not emulated by the local Data API: use JSON");
    }
    List<String> sqls = new ArrayList<>();
    if (batch) {
      JsonNode list = body.get("Sqls");
      if (list != null && !list.isNull()) {
        if (!list.isArray()) {
          throw DataApiException.serialization("Sqls must be a list of strings");
        }
        list.forEach(sql -> sqls.add(sql.isTextual() ? sql.asText() : null));
      }
    } else if (text(body, "Sql") != null) {
      sqls.add(text(body, "Sql"));
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    JsonNode params = body.get("Parameters");
    if (params != null && params.isArray()) {
      for (JsonNode parameter : params) {
        parameters.put(text(parameter, "name"), text(parameter, "value"));
      }
    }
    SubmitRequest request = new SubmitRequest(sqls, batch, text(body, "ClusterIdentifier"),
        text(body, "WorkgroupName"), text(body, "Database"), text(body, "DbUser"), text(body, "SecretArn"),
        text(body, "StatementName"), body.path("WithEvent").asBoolean(false), parameters, text(body, "ClientToken"));
    SqlParameters.check(request.sqls(), request.parameters());
    return request;
  }

  static String id(JsonNode body) {
    String id = text(body, "Id");
    if (id == null || id.isEmpty()) {
      throw DataApiException.validation("Id is required");
    }
    return id;
  }

  static ListRequest list(JsonNode body) {
    int max = body.path("MaxResults").asInt(0);
    if (max < 0 || max > MAX_LIST_RESULTS) {
      throw DataApiException.validation("1 validation error detected: Value '" + max + "' at 'maxResults' failed "
          + "to satisfy constraint: Member must have value less than or equal to " + MAX_LIST_RESULTS);
    }
    String status = text(body, "Status");
    StatementStatus state = status == null ? StatementStatus.ALL : StatementStatus.fromApi(status)
        .orElseThrow(() -> DataApiException.validation("Status '" + status + "' is not one of SUBMITTED, PICKED, "
            + "STARTED, FINISHED, ABORTED, FAILED, ALL"));
    return new ListRequest(text(body, "StatementName"), state, max == 0 ? MAX_LIST_RESULTS : max,
        text(body, "NextToken"), text(body, "ClusterIdentifier"), text(body, "WorkgroupName"), text(body, "Database"));
  }

  static TableRequest table(JsonNode body) {
    if (text(body, "Database") == null) {
      throw DataApiException.validation("Database is required");
    }
    return new TableRequest(text(body, "Schema"), text(body, "Table"), body.path("MaxResults").asInt(0),
        text(body, "NextToken"));
  }

  /** The response of ExecuteStatement and BatchExecuteStatement. */
  static ObjectNode submitted(Statement.View statement) {
    ObjectNode out = NODES.objectNode();
    out.put("Id", statement.id());
    out.set("CreatedAt", time(statement.createdAt()));
    target(out, statement.request());
    return out;
  }

  static ObjectNode describe(Statement.View statement) {
    ObjectNode out = NODES.objectNode();
    SubmitRequest request = statement.request();
    out.put("Id", statement.id());
    target(out, request);
    out.put("Status", statement.status().name());
    putIfPresent(out, "Error", statement.error());
    out.set("CreatedAt", time(statement.createdAt()));
    out.set("UpdatedAt", time(statement.updatedAt()));
    out.put("Duration", statement.durationNanos());
    out.put("RedshiftPid", statement.redshiftPid());
    out.put("RedshiftQueryId", statement.redshiftQueryId());
    out.put("HasResultSet", statement.hasResultSet());
    out.put("ResultRows", statement.resultRows());
    out.put("ResultSize", statement.resultSize());
    parameters(out, request);
    if (request.batch()) {
      ArrayNode subs = out.putArray("SubStatements");
      statement.subs().forEach(sub -> subs.add(sub(sub)));
    } else {
      out.put("QueryString", request.sqls().get(0));
    }
    return out;
  }

  /** DescribeStatement of one sub-statement ({@code id:n}). */
  static ObjectNode describe(Statement.View statement, Statement.SubView sub) {
    ObjectNode out = sub(sub);
    target(out, statement.request());
    out.put("RedshiftPid", statement.redshiftPid());
    parameters(out, statement.request());
    return out;
  }

  private static ObjectNode sub(Statement.SubView sub) {
    ObjectNode out = NODES.objectNode();
    out.put("Id", sub.id());
    out.put("Status", sub.status().name());
    putIfPresent(out, "Error", sub.error());
    out.put("QueryString", sub.queryString());
    out.set("CreatedAt", time(sub.createdAt()));
    out.set("UpdatedAt", time(sub.updatedAt()));
    out.put("Duration", sub.durationNanos());
    out.put("RedshiftQueryId", sub.redshiftQueryId());
    out.put("HasResultSet", sub.hasResultSet());
    out.put("ResultRows", sub.resultRows());
    out.put("ResultSize", sub.resultSize());
    return out;
  }

  /** One page of GetStatementResult, rows {@code [offset, offset + pageSize)}. */
  static ObjectNode result(ResultTable table, int offset, int pageSize) {
    ObjectNode out = NODES.objectNode();
    ArrayNode records = out.putArray("Records");
    int end = Math.min(table.rows().size(), offset + pageSize);
    for (List<Object> row : table.rows().subList(Math.min(offset, end), end)) {
      ArrayNode fields = records.addArray();
      row.forEach(value -> fields.add(field(value)));
    }
    ArrayNode columns = out.putArray("ColumnMetadata");
    for (ResultTable.Column column : table.columns()) {
      ObjectNode meta = columns.addObject();
      meta.put("isCaseSensitive", column.caseSensitive());
      meta.put("isCurrency", column.currency());
      meta.put("isSigned", column.signed());
      meta.put("label", column.label());
      meta.put("name", column.name());
      meta.put("nullable", column.nullable());
      meta.put("precision", column.precision());
      meta.put("scale", column.scale());
      meta.put("schemaName", column.schemaName());
      meta.put("tableName", column.tableName());
      meta.put("typeName", column.typeName());
      meta.put("length", 0);
    }
    out.put("TotalNumRows", table.rows().size());
    if (end < table.rows().size()) {
      out.put("NextToken", "row-" + end);
    }
    return out;
  }

  private static ObjectNode field(Object value) {
    ObjectNode field = NODES.objectNode();
    if (value == null) {
      field.put("isNull", true);
    } else if (value instanceof Long l) {
      field.put("longValue", l);
    } else if (value instanceof Double d) {
      field.put("doubleValue", d);
    } else if (value instanceof Boolean b) {
      field.put("booleanValue", b);
    } else if (value instanceof byte[] bytes) {
      field.put("blobValue", bytes);
    } else {
      field.put("stringValue", value.toString());
    }
    return field;
  }

  static ObjectNode list(StatementStore.Page page) {
    ObjectNode out = NODES.objectNode();
    ArrayNode statements = out.putArray("Statements");
    for (Statement.View statement : page.statements()) {
      ObjectNode item = statements.addObject();
      SubmitRequest request = statement.request();
      item.put("Id", statement.id());
      if (request.batch()) {
        ArrayNode queries = item.putArray("QueryStrings");
        request.sqls().forEach(queries::add);
      } else {
        item.put("QueryString", request.sqls().get(0));
      }
      item.put("IsBatchStatement", request.batch());
      putIfPresent(item, "SecretArn", request.secretArn());
      item.put("Status", statement.status().name());
      putIfPresent(item, "StatementName", request.statementName());
      item.set("CreatedAt", time(statement.createdAt()));
      item.set("UpdatedAt", time(statement.updatedAt()));
      parameters(item, request);
    }
    putIfPresent(out, "NextToken", page.nextToken());
    return out;
  }

  static ObjectNode cancelled() {
    return NODES.objectNode().put("Status", true);
  }

  static ObjectNode table(TableDescriber.Page page) {
    ObjectNode out = NODES.objectNode();
    putIfPresent(out, "TableName", page.tableName());
    ArrayNode columns = out.putArray("ColumnList");
    for (TableDescriber.ColumnInfo column : page.columns()) {
      ObjectNode meta = columns.addObject();
      meta.put("isCaseSensitive", column.caseSensitive());
      meta.put("isCurrency", false);
      meta.put("isSigned", column.signed());
      meta.put("name", column.name());
      meta.put("nullable", column.nullable() ? 1 : 0);
      meta.put("precision", column.precision());
      meta.put("scale", column.scale());
      meta.put("schemaName", column.schema());
      meta.put("tableName", column.table());
      meta.put("typeName", column.typeName());
      meta.put("length", column.length());
      putIfPresent(meta, "columnDefault", column.columnDefault());
    }
    putIfPresent(out, "NextToken", page.nextToken());
    return out;
  }

  static ObjectNode error(DataApiException error) {
    ObjectNode out = NODES.objectNode();
    out.put("__type", error.type());
    out.put("message", error.getMessage());
    putIfPresent(out, "ResourceId", error.resourceId());
    return out;
  }

  /** Epoch seconds with milliseconds, e.g. {@code 1732097730.123}. */
  static JsonNode time(Instant instant) {
    return NODES.numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
  }

  private static void target(ObjectNode out, SubmitRequest request) {
    putIfPresent(out, "ClusterIdentifier", request.clusterIdentifier());
    putIfPresent(out, "WorkgroupName", request.workgroupName());
    putIfPresent(out, "Database", request.database());
    putIfPresent(out, "DbUser", request.dbUser());
    putIfPresent(out, "SecretArn", request.secretArn());
  }

  private static void parameters(ObjectNode out, SubmitRequest request) {
    if (!request.parameters().isEmpty()) {
      ArrayNode list = out.putArray("QueryParameters");
      request.parameters().forEach((name, value) -> list.addObject().put("name", name).put("value", value));
    }
  }

  private static void putIfPresent(ObjectNode out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw DataApiException.serialization(field + " must be a string");
    }
    return value.asText();
  }
}
