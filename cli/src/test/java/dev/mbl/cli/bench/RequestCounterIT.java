package dev.mbl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.aws.AwsClients;
import dev.mbl.local.dynamo.DynamoDbServer;
import java.util.List;
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
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The bench's request counter against DynamoDB Local: calls by operation and consumed capacity. */
class RequestCounterIT {
  @Test
  void wrap_everyOperationMblUses_countedWithCapacityAndAwsTransactionUnits() {
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
      dynamo.updateItem(u -> u.tableName("bench-counter").key(Map.of("pk", AttributeValue.fromS("a")))
          .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromS("x"))));
      // A paginator's pages go through the proxy too: its default method calls query on the proxy.
      long pages = dynamo.queryPaginator(q -> q.tableName("bench-counter").consistentRead(true)
          .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("a"))))
          .stream().count();
      dynamo.batchGetItem(b -> b.requestItems(Map.of("bench-counter", KeysAndAttributes.builder().consistentRead(true)
          .keys(List.of(Map.of("pk", AttributeValue.fromS("a")), Map.of("pk", AttributeValue.fromS("b")))).build())));
      RequestCounter.Counts counts = counter.snapshot().minus(before);

      assertThat(pages).isEqualTo(1);
      assertThat(counts.of("dynamodb")).containsExactlyInAnyOrderEntriesOf(Map.of("PutItem", 1L, "GetItem", 1L,
          "TransactWriteItems", 1L, "UpdateItem", 1L, "Query", 1L, "BatchGetItem", 1L));
      // DynamoDB Local answers every one of them with its consumed capacity.
      assertThat(counts.dynamoWithoutCapacity()).isZero();
      // "Read/write capacity mode": a strongly consistent read of up to 4 KB is 1 unit (GetItem, Query, and each
      // item of BatchGetItem); a standard write of up to 1 KB is 1 unit (PutItem, UpdateItem).
      assertThat(counts.rcu()).isEqualTo(1.0 + 1.0 + 2.0);
      // "Amazon DynamoDB Transactions: How it works", Capacity management for transactions: a transactional
      // write costs two standard writes (2 WCU for an item up to 1 KB); DynamoDB Local reports 4.
      assertThat(counts.reportedWcu()).isEqualTo(1.0 + 4.0 + 1.0);
      assertThat(counts.wcu()).isEqualTo(1.0 + 2.0 + 1.0);
    }
  }

  /** A transaction is billed per item by its own size; DynamoDB Local bills 4 units per KB of all items together. */
  @Test
  void wrap_transactionWithALargeItem_billsEachItemByItsSizeAsAwsDoes() {
    try (DynamoDbServer server = DynamoDbServer.start();
        AwsClients real = AwsClients.create(Region.US_EAST_1, StaticCredentialsProvider.create(
            AwsBasicCredentials.create("local", "local")), Map.of("dynamodb", server.endpoint()))) {
      RequestCounter counter = new RequestCounter();
      counter.sizesFrom(real.dynamo());
      DynamoDbClient dynamo = counter.wrap(real).dynamo();
      dynamo.createTable(c -> c.tableName("bench-sizes").billingMode(BillingMode.PAY_PER_REQUEST)
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
              .attributeType(ScalarAttributeType.S).build()));
      dynamo.putItem(p -> p.tableName("bench-sizes").item(Map.of("pk", AttributeValue.fromS("big"),
          "v", AttributeValue.fromS("x".repeat(4500)))));
      RequestCounter.Counts before = counter.snapshot();

      dynamo.transactWriteItems(t -> t.transactItems(
          TransactWriteItem.builder().update(u -> u.tableName("bench-sizes")
              .key(Map.of("pk", AttributeValue.fromS("big"))).updateExpression("SET w = :w")
              .expressionAttributeValues(Map.of(":w", AttributeValue.fromS("1")))).build(),
          TransactWriteItem.builder().put(p -> p.tableName("bench-sizes")
              .item(Map.of("pk", AttributeValue.fromS("small")))).build()));
      RequestCounter.Counts counts = counter.snapshot().minus(before);

      // 4,5xx bytes: 5 units, twice; the small item: 1 unit, twice.
      assertThat(counts.wcu()).isEqualTo(2 * 5 + 2 * 1);
      assertThat(counts.reportedWcu()).as("DynamoDB Local's own figure, by its own rule").isGreaterThan(counts.wcu());
    }
  }
}
