package dev.mbl.warehouse;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.event.StatementState;
import dev.mbl.sql.Column;
import dev.mbl.sql.TableName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveSessionsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableResponse;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsResponse;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

/**
 * {@link Warehouse} over the Redshift Data API: provisioned clusters (ClusterIdentifier with
 * DbUser, SecretArn or the caller's IAM identity) and Serverless workgroups (WorkgroupName with
 * SecretArn or IAM).
 */
public final class DataApiWarehouse implements Warehouse {
  private static final java.util.Set<String> THROTTLING_CODES = java.util.Set.of(
      "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException");
  private final RedshiftDataClient client;

  public DataApiWarehouse(RedshiftDataClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public String submitBatch(WarehouseTarget target, List<String> sql, String statementName, String clientToken) {
    try {
      return client.batchExecuteStatement(b -> b.clusterIdentifier(target.clusterIdentifier())
          .workgroupName(target.workgroupName()).database(target.database()).dbUser(target.dbUser())
          .secretArn(target.secretArn()).sqls(sql).statementName(statementName).withEvent(true)
          .clientToken(clientToken)).id();
    } catch (RuntimeException failed) {
      throw submissionFailure(target, statementName, failed);
    }
  }

  @Override
  public String submitQuery(WarehouseTarget target, String sql, String statementName, String clientToken) {
    try {
      return client.executeStatement(b -> b.clusterIdentifier(target.clusterIdentifier())
          .workgroupName(target.workgroupName()).database(target.database()).dbUser(target.dbUser())
          .secretArn(target.secretArn()).sql(sql).statementName(statementName).withEvent(true)
          .clientToken(clientToken)).id();
    } catch (RuntimeException failed) {
      throw submissionFailure(target, statementName, failed);
    }
  }

  @Override
  public List<Map<String, String>> results(String statementId) {
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> names = null;
    String token = null;
    do {
      String next = token;
      GetStatementResultResponse page;
      try {
        page = client.getStatementResult(g -> g.id(statementId).nextToken(next));
      } catch (RedshiftDataException refused) {
        if (throttled(refused) || refused.statusCode() < 400 || refused.statusCode() >= 500) {
          throw refused;
        }
        throw new StatementRejectedException("the Data API refused the result of statement " + statementId + ": "
            + (refused.awsErrorDetails() != null ? refused.awsErrorDetails().errorMessage() : refused.getMessage())
            + " (the functions' role needs redshift-data:GetStatementResult)", false, refused);
      }
      if (names == null) {
        names = page.columnMetadata().stream().map(ColumnMetadata::name).toList();
      }
      for (List<Field> record : page.records()) {
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < record.size() && i < names.size(); i++) {
          row.put(names.get(i), text(record.get(i)));
        }
        rows.add(row);
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return rows;
  }

  /**
   * What a failed submission means: refused for a while (throttled, HTTP 429 or 400
   * ThrottlingException; too many active statements or sessions), refused until someone fixes
   * something (any other 4xx), or unknown (5xx, lost connection).
   */
  private static RuntimeException submissionFailure(WarehouseTarget target, String statementName,
      RuntimeException failed) {
    if (failed instanceof ActiveStatementsExceededException || failed instanceof ActiveSessionsExceededException) {
      return new StatementRejectedException("the Data API is at its limit of active statements for "
          + target.warehouseName() + "; " + statementName + " will be retried after a pause", true, failed);
    }
    if (failed instanceof RedshiftDataException refused) {
      int status = refused.statusCode();
      if (throttled(refused)) {
        return new StatementRejectedException("the Data API throttled the submission of " + statementName
            + "; it will be retried after a pause", true, refused);
      }
      if (status >= 400 && status < 500) {
        return new StatementRejectedException("the Data API refused " + statementName + " on "
            + target.warehouseName() + "/" + target.database() + ": " + (refused.awsErrorDetails() != null
            ? refused.awsErrorDetails().errorMessage() : refused.getMessage())
            + " (check the config's cluster/workgroup, database and credentials)", false, refused);
      }
      return new SubmitOutcomeUnknownException("submitting " + statementName + " failed with HTTP " + status
          + "; it will be looked up by name and resubmitted with the same client token", refused);
    }
    if (failed instanceof SdkClientException lost) {
      return new SubmitOutcomeUnknownException("submitting " + statementName + " lost its connection ("
          + lost.getMessage() + "); it will be looked up by name and resubmitted with the same client token", lost);
    }
    return failed;
  }

  /**
   * Throttling: HTTP 429, or the Data API's HTTP 400 with {@code __type} ThrottlingException (the
   * redshift-data model declares no such shape, so the SDK reports it as RedshiftDataException).
   */
  private static boolean throttled(RedshiftDataException refused) {
    String code = refused.awsErrorDetails() == null ? null : refused.awsErrorDetails().errorCode();
    return refused.statusCode() == 429 || THROTTLING_CODES.contains(code) || refused.isThrottlingException();
  }

  private static String text(Field field) {
    if (Boolean.TRUE.equals(field.isNull())) {
      return null;
    }
    if (field.stringValue() != null) {
      return field.stringValue();
    }
    if (field.longValue() != null) {
      return Long.toString(field.longValue());
    }
    if (field.doubleValue() != null) {
      return Double.toString(field.doubleValue());
    }
    if (field.booleanValue() != null) {
      return Boolean.toString(field.booleanValue());
    }
    return null;
  }

  @Override
  public Optional<StatementStatus> describe(String statementId) {
    DescribeStatementResponse response;
    try {
      response = client.describeStatement(d -> d.id(statementId));
    } catch (ResourceNotFoundException forgotten) {
      return Optional.empty();
    }
    StatementState state = StatementState.fromApi(response.statusAsString())
        .orElseThrow(() -> new IllegalStateException("the Data API reported an unknown status '"
            + response.statusAsString() + "' for statement " + statementId));
    return Optional.of(new StatementStatus(statementId, state, errorOf(response)));
  }

  @Override
  public Optional<StatementStatus> findByName(WarehouseTarget target, String statementName) {
    List<StatementData> matches = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListStatementsResponse page = client.listStatements(l -> l.statementName(statementName)
          .status(StatusString.ALL).nextToken(next).maxResults(100));
      page.statements().stream().filter(s -> statementName.equals(s.statementName())).forEach(matches::add);
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return matches.stream().max(Comparator.comparing(StatementData::createdAt, Comparator.nullsFirst(
        Comparator.naturalOrder()))).flatMap(s -> describe(s.id()));
  }

  @Override
  public List<Column> describeTable(WarehouseTarget target, TableName table) {
    List<Column> columns = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      DescribeTableResponse page = client.describeTable(d -> d.clusterIdentifier(target.clusterIdentifier())
          .workgroupName(target.workgroupName()).database(target.database()).dbUser(target.dbUser())
          .secretArn(target.secretArn()).schema(table.schema().value()).table(table.table().value())
          .nextToken(next));
      page.columnList().forEach(c -> columns.add(
          Column.described(c.name(), c.typeName(), c.columnDefault(), c.nullable())));
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return columns;
  }

  /** The failed sub-statement's error, which names the real cause, else the statement's own. */
  private static String errorOf(DescribeStatementResponse response) {
    if (response.hasSubStatements()) {
      for (SubStatementData sub : response.subStatements()) {
        if (sub.error() != null && !sub.error().isEmpty()) {
          return sub.error();
        }
      }
    }
    return response.error();
  }
}
