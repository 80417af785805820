package dev.mbl.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.event.StatementState;
import dev.mbl.sql.Column;
import dev.mbl.sql.TableName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultRequest;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsRequest;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsResponse;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

class DataApiWarehouseTest {
  private static final WarehouseTarget CLUSTER = new WarehouseTarget("analytics", null, "dev", "loader", null);
  private static final WarehouseTarget SERVERLESS =
      new WarehouseTarget(null, "wg-etl", "dev", null, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mbl-AbC");
  private static final List<String> SQL = List.of("BEGIN", "COPY ...", "COMMIT");
  private static final String NAME = "mbl/analytics/dev/public.orders/01HZX3K7M2Q4R6T8V0W2Y4A6C8";
  private static final String TOKEN = "01HZX3K7M2Q4R6T8V0W2Y4A6C8";

  private RedshiftDataClient client;
  private DataApiWarehouse warehouse;

  @BeforeEach
  void setUp() {
    // The Consumer<Builder> overloads are default methods that delegate to the request overloads.
    client = mock(RedshiftDataClient.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    warehouse = new DataApiWarehouse(client);
  }

  @Test
  void submitBatch_provisionedCluster_sendsClusterDatabaseUserAndEventRequest() {
    doReturn(BatchExecuteStatementResponse.builder().id("stmt-1").build())
        .when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    String id = warehouse.submitBatch(CLUSTER, SQL, NAME, TOKEN);

    assertThat(id).isEqualTo("stmt-1");
    BatchExecuteStatementRequest sent = captureBatch();
    assertThat(sent.withEvent()).isTrue();
    assertThat(sent.statementName()).isEqualTo(NAME);
    assertThat(sent.clientToken()).isEqualTo(TOKEN);
    assertThat(sent.sqls()).containsExactlyElementsOf(SQL);
    assertThat(sent.clusterIdentifier()).isEqualTo("analytics");
    assertThat(sent.database()).isEqualTo("dev");
    assertThat(sent.dbUser()).isEqualTo("loader");
    assertThat(sent.workgroupName()).isNull();
    assertThat(sent.secretArn()).isNull();
  }

  @Test
  void submitBatch_serverlessWorkgroup_sendsWorkgroupAndSecret() {
    doReturn(BatchExecuteStatementResponse.builder().id("stmt-2").build())
        .when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    assertThat(warehouse.submitBatch(SERVERLESS, SQL, NAME, TOKEN)).isEqualTo("stmt-2");

    BatchExecuteStatementRequest sent = captureBatch();
    assertThat(sent.workgroupName()).isEqualTo("wg-etl");
    assertThat(sent.secretArn()).isEqualTo(SERVERLESS.secretArn());
    assertThat(sent.database()).isEqualTo("dev");
    assertThat(sent.clusterIdentifier()).isNull();
    assertThat(sent.dbUser()).isNull();
    assertThat(sent.withEvent()).isTrue();
    assertThat(sent.clientToken()).isEqualTo(TOKEN);
  }

  @Test
  void submitBatch_activeStatementsExceeded_transientRejection() {
    doThrow(ActiveStatementsExceededException.builder().statusCode(400)
        .awsErrorDetails(details("ActiveStatementsExceededException", "Active statements exceeded the allowed quota."))
        .build()).when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    assertThatThrownBy(() -> warehouse.submitBatch(CLUSTER, SQL, NAME, TOKEN))
        .isInstanceOfSatisfying(StatementRejectedException.class, e -> {
          assertThat(e.transientRefusal()).isTrue();
          assertThat(e.getMessage()).contains("analytics");
        })
        .hasCauseInstanceOf(ActiveStatementsExceededException.class);
  }

  @Test
  void submitBatch_throttled429_transientRejection() {
    doThrow(RedshiftDataException.builder().statusCode(429)
        .awsErrorDetails(details("ThrottlingException", "Rate exceeded")).build())
        .when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    assertThatThrownBy(() -> warehouse.submitBatch(CLUSTER, SQL, NAME, TOKEN))
        .isInstanceOfSatisfying(StatementRejectedException.class, e -> assertThat(e.transientRefusal()).isTrue());
  }

  /** The Data API answers throttling with HTTP 400 and __type ThrottlingException, not only 429. */
  @Test
  void submitBatch_throttled400ThrottlingException_transientRejection() {
    doThrow(RedshiftDataException.builder().statusCode(400)
        .awsErrorDetails(details("ThrottlingException", "Rate exceeded")).build())
        .when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    assertThatThrownBy(() -> warehouse.submitBatch(CLUSTER, SQL, NAME, TOKEN))
        .isInstanceOfSatisfying(StatementRejectedException.class, e -> assertThat(e.transientRefusal()).isTrue())
        .hasMessageContaining("throttled");
  }

  @Test
  void submitQuery_serverless_sendsOneSqlWithEventNameAndToken() {
    doReturn(ExecuteStatementResponse.builder().id("diag-1").build())
        .when(client).executeStatement(any(ExecuteStatementRequest.class));

    String id = warehouse.submitQuery(SERVERLESS, "SELECT 1", NAME + ".diagnosis", TOKEN + "-d");

    assertThat(id).isEqualTo("diag-1");
    ArgumentCaptor<ExecuteStatementRequest> request = ArgumentCaptor.forClass(ExecuteStatementRequest.class);
    verify(client).executeStatement(request.capture());
    assertThat(request.getValue().sql()).isEqualTo("SELECT 1");
    assertThat(request.getValue().withEvent()).isTrue();
    assertThat(request.getValue().statementName()).isEqualTo(NAME + ".diagnosis");
    assertThat(request.getValue().clientToken()).isEqualTo(TOKEN + "-d");
    assertThat(request.getValue().workgroupName()).isEqualTo("wg-etl");
  }

  @Test
  void submitQuery_activeStatementsExceeded_transientRejection() {
    doThrow(ActiveStatementsExceededException.builder().statusCode(400)
        .awsErrorDetails(details("ActiveStatementsExceededException", "Active statements exceeded the allowed quota."))
        .build()).when(client).executeStatement(any(ExecuteStatementRequest.class));

    assertThatThrownBy(() -> warehouse.submitQuery(CLUSTER, "SELECT 1", NAME, TOKEN))
        .isInstanceOfSatisfying(StatementRejectedException.class, e -> assertThat(e.transientRefusal()).isTrue());
  }

  @Test
  void results_twoPages_rowsByColumnNameWithNullsAndLongs() {
    List<ColumnMetadata> columns = List.of(ColumnMetadata.builder().name("file_name").build(),
        ColumnMetadata.builder().name("line_number").build());
    doReturn(GetStatementResultResponse.builder().columnMetadata(columns).nextToken("p2")
        .records(List.of(List.of(Field.builder().stringValue("s3://b/a.csv").build(),
            Field.builder().longValue(7L).build()))).build())
        .when(client).getStatementResult(GetStatementResultRequest.builder().id("diag-1").build());
    doReturn(GetStatementResultResponse.builder().columnMetadata(columns)
        .records(List.of(List.of(Field.builder().stringValue("s3://b/b.csv").build(),
            Field.builder().isNull(true).build()))).build())
        .when(client).getStatementResult(GetStatementResultRequest.builder().id("diag-1").nextToken("p2").build());

    List<Map<String, String>> rows = warehouse.results("diag-1");

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsEntry("file_name", "s3://b/a.csv").containsEntry("line_number", "7");
    assertThat(rows.get(1)).containsEntry("file_name", "s3://b/b.csv").containsEntry("line_number", null);
  }

  @Test
  void results_accessDenied_permanentRejectionNamingThePermission() {
    doThrow(RedshiftDataException.builder().statusCode(400)
        .awsErrorDetails(details("AccessDeniedException", "User is not authorized to perform: "
            + "redshift-data:GetStatementResult")).build())
        .when(client).getStatementResult(any(GetStatementResultRequest.class));

    assertThatThrownBy(() -> warehouse.results("diag-1"))
        .isInstanceOfSatisfying(StatementRejectedException.class, e -> assertThat(e.transientRefusal()).isFalse())
        .hasMessageContaining("diag-1")
        .hasMessageContaining("redshift-data:GetStatementResult");
  }

  @Test
  void submitBatch_validationException_permanentRejectionNamingWarehouse() {
    doThrow(ValidationException.builder().statusCode(400)
        .awsErrorDetails(details("ValidationException", "Redshift endpoint doesn't exist in this region."))
        .build()).when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    assertThatThrownBy(() -> warehouse.submitBatch(CLUSTER, SQL, NAME, TOKEN))
        .isInstanceOfSatisfying(StatementRejectedException.class, e -> assertThat(e.transientRefusal()).isFalse())
        .hasMessageContaining("analytics/dev")
        .hasMessageContaining(NAME)
        .hasMessageContaining("Redshift endpoint doesn't exist in this region.")
        .hasCauseInstanceOf(ValidationException.class);
  }

  @Test
  void submitBatch_internalServerError500_outcomeUnknown() {
    doThrow(InternalServerException.builder().statusCode(500)
        .awsErrorDetails(details("InternalServerException", "Internal error")).build())
        .when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    assertThatThrownBy(() -> warehouse.submitBatch(CLUSTER, SQL, NAME, TOKEN))
        .isInstanceOf(SubmitOutcomeUnknownException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining(NAME)
        .hasCauseInstanceOf(InternalServerException.class);
  }

  @Test
  void submitBatch_clientSideFailure_outcomeUnknown() {
    doThrow(SdkClientException.create("Unable to execute HTTP request: Read timed out"))
        .when(client).batchExecuteStatement(any(BatchExecuteStatementRequest.class));

    assertThatThrownBy(() -> warehouse.submitBatch(CLUSTER, SQL, NAME, TOKEN))
        .isInstanceOf(SubmitOutcomeUnknownException.class)
        .hasMessageContaining("Read timed out")
        .hasCauseInstanceOf(SdkClientException.class);
  }

  @Test
  void describe_finished_statusWithoutError() {
    doReturn(DescribeStatementResponse.builder().id("stmt-1").status(StatusString.FINISHED).build())
        .when(client).describeStatement(any(DescribeStatementRequest.class));

    assertThat(warehouse.describe("stmt-1"))
        .contains(new StatementStatus("stmt-1", StatementState.FINISHED, null));
    ArgumentCaptor<DescribeStatementRequest> request = ArgumentCaptor.forClass(DescribeStatementRequest.class);
    verify(client).describeStatement(request.capture());
    assertThat(request.getValue().id()).isEqualTo("stmt-1");
  }

  @Test
  void describe_failedBatch_prefersFailedSubStatementError() {
    doReturn(DescribeStatementResponse.builder().id("stmt-1").status(StatusString.FAILED)
        .error("Batch statement failed: sub-statement 2 failed")
        .subStatements(
            SubStatementData.builder().id("stmt-1:1").status("FINISHED").build(),
            SubStatementData.builder().id("stmt-1:2").status("FAILED")
                .error("ERROR: relation \"public.orders\" does not exist").build(),
            SubStatementData.builder().id("stmt-1:3").status("ABORTED").build())
        .build()).when(client).describeStatement(any(DescribeStatementRequest.class));

    assertThat(warehouse.describe("stmt-1")).contains(new StatementStatus("stmt-1", StatementState.FAILED,
        "ERROR: relation \"public.orders\" does not exist"));
  }

  @Test
  void describe_failedWithoutSubStatementError_topLevelError() {
    doReturn(DescribeStatementResponse.builder().id("stmt-1").status(StatusString.FAILED)
        .error("ERROR: Out Of Memory")
        .subStatements(SubStatementData.builder().id("stmt-1:1").status("FAILED").error("").build())
        .build()).when(client).describeStatement(any(DescribeStatementRequest.class));

    assertThat(warehouse.describe("stmt-1")).map(StatementStatus::error).contains("ERROR: Out Of Memory");
  }

  @Test
  void describe_statementForgotten_empty() {
    doThrow(ResourceNotFoundException.builder().statusCode(400)
        .awsErrorDetails(details("ResourceNotFoundException", "Query does not exist.")).build())
        .when(client).describeStatement(any(DescribeStatementRequest.class));

    assertThat(warehouse.describe("stmt-gone")).isEmpty();
  }

  @Test
  void describe_unknownStatus_illegalStateNamingStatement() {
    doReturn(DescribeStatementResponse.builder().id("stmt-1").status("PAUSED").build())
        .when(client).describeStatement(any(DescribeStatementRequest.class));

    assertThatThrownBy(() -> warehouse.describe("stmt-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PAUSED")
        .hasMessageContaining("stmt-1");
  }

  @Test
  void findByName_matchesOnSeveralPages_describesNewestExactMatch() {
    Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
    doAnswer(call -> {
      ListStatementsRequest request = call.getArgument(0);
      if (request.nextToken() == null) {
        return ListStatementsResponse.builder().nextToken("page-2").statements(
            statement("old", NAME, t0),
            statement("prefix-only-newest", NAME + "-retry", t0.plusSeconds(3600))).build();
      }
      return ListStatementsResponse.builder().statements(
          statement("newest", NAME, t0.plusSeconds(60)),
          statement("middle", NAME, t0.plusSeconds(30))).build();
    }).when(client).listStatements(any(ListStatementsRequest.class));
    doReturn(DescribeStatementResponse.builder().id("newest").status(StatusString.STARTED).build())
        .when(client).describeStatement(any(DescribeStatementRequest.class));

    Optional<StatementStatus> found = warehouse.findByName(CLUSTER, NAME);

    assertThat(found).contains(new StatementStatus("newest", StatementState.STARTED, null));
    ArgumentCaptor<ListStatementsRequest> lists = ArgumentCaptor.forClass(ListStatementsRequest.class);
    verify(client, times(2)).listStatements(lists.capture());
    assertThat(lists.getAllValues()).extracting(ListStatementsRequest::nextToken).containsExactly(null, "page-2");
    assertThat(lists.getAllValues()).allSatisfy(r -> {
      assertThat(r.statementName()).isEqualTo(NAME);
      assertThat(r.status()).isEqualTo(StatusString.ALL);
      assertThat(r.maxResults()).isEqualTo(100);
    });
    ArgumentCaptor<DescribeStatementRequest> described = ArgumentCaptor.forClass(DescribeStatementRequest.class);
    verify(client).describeStatement(described.capture());
    assertThat(described.getValue().id()).isEqualTo("newest");
  }

  @Test
  void findByName_onlyPrefixMatches_emptyWithoutDescribe() {
    doReturn(ListStatementsResponse.builder().statements(
        statement("other", NAME + "0", Instant.parse("2024-05-01T10:00:00Z"))).build())
        .when(client).listStatements(any(ListStatementsRequest.class));

    assertThat(warehouse.findByName(CLUSTER, NAME)).isEmpty();
    verify(client, never()).describeStatement(any(DescribeStatementRequest.class));
  }

  @Test
  void describeTable_twoPages_columnsInOrderFromEveryPage() {
    doAnswer(call -> {
      DescribeTableRequest request = call.getArgument(0);
      if (request.nextToken() == null) {
        return DescribeTableResponse.builder().nextToken("more").columnList(
            ColumnMetadata.builder().name("id").typeName("int8").build(),
            ColumnMetadata.builder().name("payload").typeName("super").build()).build();
      }
      return DescribeTableResponse.builder().nextToken("").columnList(
          ColumnMetadata.builder().name("updated_at").typeName("timestamp").build()).build();
    }).when(client).describeTable(any(DescribeTableRequest.class));

    List<Column> columns = warehouse.describeTable(CLUSTER, TableName.of("sales", "orders"));

    assertThat(columns).containsExactly(Column.of("id", "int8"), Column.of("payload", "super"),
        Column.of("updated_at", "timestamp"));
    ArgumentCaptor<DescribeTableRequest> requests = ArgumentCaptor.forClass(DescribeTableRequest.class);
    verify(client, times(2)).describeTable(requests.capture());
    assertThat(requests.getAllValues()).extracting(DescribeTableRequest::nextToken).containsExactly(null, "more");
    assertThat(requests.getAllValues()).allSatisfy(r -> {
      assertThat(r.clusterIdentifier()).isEqualTo("analytics");
      assertThat(r.database()).isEqualTo("dev");
      assertThat(r.dbUser()).isEqualTo("loader");
      assertThat(r.schema()).isEqualTo("sales");
      assertThat(r.table()).isEqualTo("orders");
    });
  }

  @Test
  void describeTable_serverlessMissingTable_emptyAndWorkgroupSent() {
    doReturn(DescribeTableResponse.builder().build())
        .when(client).describeTable(any(DescribeTableRequest.class));

    assertThat(warehouse.describeTable(SERVERLESS, TableName.of("public", "missing"))).isEmpty();
    ArgumentCaptor<DescribeTableRequest> request = ArgumentCaptor.forClass(DescribeTableRequest.class);
    verify(client).describeTable(request.capture());
    assertThat(request.getValue().workgroupName()).isEqualTo("wg-etl");
    assertThat(request.getValue().secretArn()).isEqualTo(SERVERLESS.secretArn());
    assertThat(request.getValue().clusterIdentifier()).isNull();
  }

  private BatchExecuteStatementRequest captureBatch() {
    ArgumentCaptor<BatchExecuteStatementRequest> request = ArgumentCaptor.forClass(BatchExecuteStatementRequest.class);
    verify(client).batchExecuteStatement(request.capture());
    return request.getValue();
  }

  private static StatementData statement(String id, String name, Instant createdAt) {
    return StatementData.builder().id(id).statementName(name).createdAt(createdAt).status(StatusString.FINISHED)
        .build();
  }

  private static AwsErrorDetails details(String code, String message) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
  }
}
