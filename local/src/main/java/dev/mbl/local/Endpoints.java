package dev.mbl.local;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Where the local stand-ins listen, all on loopback.
 *
 * @param s3 S3 (path-style)
 * @param sqs SQS
 * @param dynamoDb DynamoDB
 * @param redshiftData the Redshift Data API emulator; a closed port when the stack has no warehouse
 * @param postgresJdbcUrl the warehouse's JDBC URL; null when the stack has no warehouse
 * @param region the region every ARN and client uses
 * @param account the 12-digit account in every ARN
 * @param lambda the Lambda Invoke API of the three functions
 * @param edge one endpoint for all of the above, routed by each request's signing service name
 */
public record Endpoints(URI s3, URI sqs, URI dynamoDb, URI redshiftData, String postgresJdbcUrl, String region,
    String account, URI lambda, URI edge) {
  public Endpoints {
    Objects.requireNonNull(lambda, "lambda");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(sqs, "sqs");
    Objects.requireNonNull(dynamoDb, "dynamoDb");
    Objects.requireNonNull(redshiftData, "redshiftData");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
  }

  /** Endpoint overrides keyed as {@code AwsClients.create} expects (s3, dynamodb, redshift-data), plus sqs, lambda. */
  public Map<String, URI> awsOverrides() {
    return Map.of("s3", s3, "dynamodb", dynamoDb, "redshift-data", redshiftData, "sqs", sqs, "lambda", lambda);
  }
}
