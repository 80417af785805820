package dev.mbl.lambda;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One request of each S3, DynamoDB and Data API kind mbl sends (the tracker, config and manifest
 * code in mbl-core, the Data API warehouse), shaped as mbl shapes them, for {@link Priming}. A
 * request kind mbl starts to use belongs here too: {@code HandlersIT} fails when its handlers send
 * one that is missing, and {@code PrimingIT} lists them.
 */
final class PrimingRequests {
  private PrimingRequests() {}

  static List<Runnable> all(DynamoDbClient dynamo, S3Client s3, RedshiftDataClient data) {
    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromS("s"));
    Map<String, AttributeValue> values = Map.of(":v", AttributeValue.fromN("1"));
    Map<String, String> names = Map.of("#a", "a");
    return List.of(
        () -> dynamo.getItem(r -> r.tableName("t").key(key).consistentRead(true)),
        () -> dynamo.putItem(r -> r.tableName("t").item(key).conditionExpression("attribute_not_exists(pk)")),
        () -> dynamo.updateItem(r -> r.tableName("t").key(key).updateExpression("SET #a = :v")
            .conditionExpression("attribute_exists(pk)").expressionAttributeNames(names)
            .expressionAttributeValues(values)),
        () -> dynamo.deleteItem(r -> r.tableName("t").key(key).conditionExpression("#a = :v")
            .expressionAttributeNames(names).expressionAttributeValues(values)),
        () -> dynamo.query(r -> r.tableName("t").consistentRead(true).scanIndexForward(false)
            .keyConditionExpression("pk = :v").expressionAttributeValues(values).limit(1)),
        () -> dynamo.transactWriteItems(r -> r.transactItems(
            TransactWriteItem.builder().put(p -> p.tableName("t").item(key)).build(),
            TransactWriteItem.builder().update(u -> u.tableName("t").key(key).updateExpression("SET #a = :v")
                .expressionAttributeNames(names).expressionAttributeValues(values)).build())),
        () -> dynamo.batchGetItem(r -> r.requestItems(Map.of("t", KeysAndAttributes.builder().keys(key)
            .consistentRead(true).build()))),
        () -> dynamo.batchWriteItem(r -> r.requestItems(Map.of("t", List.of(
            WriteRequest.builder().deleteRequest(d -> d.key(key)).build())))),
        () -> s3.getObjectAsBytes(r -> r.bucket("b").key("k")),
        () -> s3.putObject(r -> r.bucket("b").key("k").contentType("application/json"), RequestBody.fromString("{}")),
        () -> s3.headObject(r -> r.bucket("b").key("k")),
        () -> s3.listObjectsV2Paginator(r -> r.bucket("b").prefix("p/")).contents().forEach(o -> { }),
        () -> data.executeStatement(r -> r.clusterIdentifier("c").database("d").dbUser("u").sql("select 1")
            .statementName("mbl/prime").withEvent(true).clientToken("prime")),
        () -> data.batchExecuteStatement(r -> r.clusterIdentifier("c").database("d").dbUser("u")
            .sqls("select 1", "select 2").statementName("mbl/prime").withEvent(true).clientToken("prime")),
        () -> data.describeStatement(r -> r.id("i")),
        () -> data.getStatementResult(r -> r.id("i")),
        () -> data.listStatements(r -> r.statementName("mbl/prime").status(StatusString.ALL).maxResults(100)),
        () -> data.describeTable(r -> r.clusterIdentifier("c").database("d").dbUser("u").schema("s").table("t")));
  }
}
