package dev.mbl.tracker;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates the tracker table where no deployment did (tests, the local runtime). */
public final class TrackerTable {
  private TrackerTable() {}

  /** Creates {@code name} (on-demand, TTL on {@code expires_at}) unless it exists. */
  public static void createIfMissing(DynamoDbClient dynamo, String name) {
    try {
      dynamo.createTable(c -> c.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(
              AttributeDefinition.builder().attributeName(TrackerItems.PK).attributeType(ScalarAttributeType.S).build(),
              AttributeDefinition.builder().attributeName(TrackerItems.SK).attributeType(ScalarAttributeType.S).build())
          .keySchema(
              KeySchemaElement.builder().attributeName(TrackerItems.PK).keyType(KeyType.HASH).build(),
              KeySchemaElement.builder().attributeName(TrackerItems.SK).keyType(KeyType.RANGE).build()));
      dynamo.waiter().waitUntilTableExists(w -> w.tableName(name));
      dynamo.updateTimeToLive(u -> u.tableName(name)
          .timeToLiveSpecification(t -> t.attributeName(TrackerItems.EXPIRES_AT).enabled(true)));
    } catch (ResourceInUseException exists) {
      // Already there: nothing to do.
    }
  }
}
