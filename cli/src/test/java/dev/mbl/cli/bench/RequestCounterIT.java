package dev.mbl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.aws.AwsClients;
import dev.mbl.local.dynamo.DynamoDbServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The bench's request counter against DynamoDB Local: calls by operation and consumed capacity. */
class RequestCounterIT {
  @Test
  void wrap_consumerBuildersAndTransaction_countedWithAwsTransactionUnits() {
    try (DynamoDbServer server = DynamoDbServer.start();
        AwsClients real = AwsClients.create(Region.US_EAST_1, StaticCredentialsProvider.create(
            AwsBasicCredentials.create("local", "local")), Map.of("dynamodb", server.endpoint()))) {
      RequestCounter counter = new RequestCounter();
      DynamoDbClient dynamo = counter.wrap(real).dynamo();
      dynamo.createTable(c -> c.tableName("bench-counter").billingMode(BillingMode.PAY_PER_REQUEST)
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
              .attributeType(ScalarAttributeType.S).build()));
      RequestCounter.Counts before = counter.snapshot();

      dynamo.putItem(p -> p.tableName("bench-counter").item(Map.of("pk", AttributeValue.fromS("a"))));
      dynamo.getItem(g -> g.tableName("bench-counter").consistentRead(true)
          .key(Map.of("pk", AttributeValue.fromS("a"))));
      dynamo.transactWriteItems(t -> t.transactItems(TransactWriteItem.builder().put(Put.builder()
          .tableName("bench-counter").item(Map.of("pk", AttributeValue.fromS("b"))).build()).build()));
      RequestCounter.Counts counts = counter.snapshot().minus(before);

      assertThat(counts.of("dynamodb")).containsExactlyInAnyOrderEntriesOf(Map.of("PutItem", 1L, "GetItem", 1L,
          "TransactWriteItems", 1L));
      assertThat(counts.dynamoWithoutCapacity()).isZero();
      assertThat(counts.rcu()).isEqualTo(1.0);
      // "Amazon DynamoDB Transactions: How it works", Capacity management for transactions: a transactional
      // write costs two standard writes (2 WCU for an item up to 1 KB); DynamoDB Local reports 4.
      assertThat(counts.reportedWcu()).isEqualTo(1.0 + 4.0);
      assertThat(counts.wcu()).isEqualTo(1.0 + 2.0);
    }
  }
}
