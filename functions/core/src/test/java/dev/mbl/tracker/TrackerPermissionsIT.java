package dev.mbl.tracker;

import static dev.mbl.testing.LoadHarness.TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.event.StatementState;
import dev.mbl.load.LoadCoordinator;
import dev.mbl.local.s3.S3Server;
import dev.mbl.testing.LoadHarness;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * DynamoDB Local does not enforce IAM, so a missing grant would only show on AWS. This records
 * every action the protocol performs (and each action inside its transactions, which IAM checks
 * one by one) and requires {@link DynamoDbTracker#IAM_ACTIONS}, which the deployment grants, to
 * cover them all.
 */
class TrackerPermissionsIT {
  private final Set<String> performed = ConcurrentHashMap.newKeySet();

  private final class Recorder implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      SdkRequest request = context.request();
      if (!(request instanceof TransactWriteItemsRequest)) {
        performed.add("dynamodb:" + request.getClass().getSimpleName().replace("Request", ""));
      }
      if (request instanceof TransactWriteItemsRequest transaction) {
        performed.add("transaction"); // authorised by the item actions inside it, not by an action of its own
        for (TransactWriteItem item : transaction.transactItems()) {
          if (item.put() != null) {
            performed.add("dynamodb:PutItem");
          }
          if (item.update() != null) {
            performed.add("dynamodb:UpdateItem");
          }
          if (item.delete() != null) {
            performed.add("dynamodb:DeleteItem");
          }
          if (item.conditionCheck() != null) {
            performed.add("dynamodb:ConditionCheckItem");
          }
        }
      }
    }
  }

  @Test
  void protocol_everyDynamoDbActionItPerforms_isAmongTheGrantedActions() {
    LoadHarness h = new LoadHarness();
    DynamoDbClient recording = DynamoDbClient.builder().region(Region.US_EAST_1)
        .endpointOverride(LoadHarness.dynamo().endpoint()).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
        .overrideConfiguration(o -> o.addExecutionInterceptor(new Recorder())).build();
    DynamoDbTracker tracker = new DynamoDbTracker(recording, h.tracker.tableName(), Duration.ofDays(30));
    LoadCoordinator coordinator = h.coordinator(tracker, h.warehouse);
    var files = List.of(h.upload(null), h.upload(null), h.upload("BAD,row\n"));
    tracker.register(TABLE, h.configRef(), h.now());
    files.forEach(f -> tracker.ledger(TABLE, f, h.configRef(), h.now(), false));

    coordinator.start(TABLE, h.now());
    h.api.script(StatementState.FAILED, "ERROR: 1023 Serializable isolation violation");
    h.drain(coordinator); // retry, split, quarantine, load, release: every write path

    h.assertInvariant();
    assertThat(performed).contains("transaction", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem");
    performed.remove("transaction");
    assertThat(DynamoDbTracker.IAM_ACTIONS).containsAll(performed).doesNotContain("dynamodb:TransactWriteItems");
    recording.close();
  }
}
