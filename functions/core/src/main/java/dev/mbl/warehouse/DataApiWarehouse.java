package dev.mbl.warehouse;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.event.StatementState;
import dev.mbl.sql.Column;
import dev.mbl.sql.TableName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveSessionsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableResponse;
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
    } catch (ActiveStatementsExceededException | ActiveSessionsExceededException busy) {
      throw new StatementRejectedException("the Data API is at its limit of active statements for "
          + target.warehouseName() + "; the batch will be retried after a pause", true, busy);
    } catch (RedshiftDataException refused) {
      int status = refused.statusCode();
      if (status == 429) {
        throw new StatementRejectedException("the Data API throttled the submission of " + statementName
            + "; it will be retried after a pause", true, refused);
      }
      if (status >= 400 && status < 500) {
        throw new StatementRejectedException("the Data API refused " + statementName + " on "
            + target.warehouseName() + "/" + target.database() + ": " + (refused.awsErrorDetails() != null
            ? refused.awsErrorDetails().errorMessage() : refused.getMessage())
            + " (check the config's cluster/workgroup, database and credentials)", false, refused);
      }
      throw new SubmitOutcomeUnknownException("submitting " + statementName + " failed with HTTP " + status
          + "; it will be looked up by name and resubmitted with the same client token", refused);
    } catch (SdkClientException lost) {
      throw new SubmitOutcomeUnknownException("submitting " + statementName + " lost its connection ("
          + lost.getMessage() + "); it will be looked up by name and resubmitted with the same client token", lost);
    }
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
      page.columnList().forEach(c -> columns.add(Column.of(c.name(), c.typeName())));
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
