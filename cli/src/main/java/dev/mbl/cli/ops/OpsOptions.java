package dev.mbl.cli.ops;

import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Where the operator commands connect, with the AWS CLI's conventions: the default credential
 * chain, {@code --profile}, {@code --region}, {@code --endpoint-url}, {@code --output table|json}.
 * The stack's names come from its CloudFormation outputs ({@code --stack}) or from flags.
 */
public final class OpsOptions {
  @Option(names = "--local", description = "Use the stack `./mbl local up` runs from this folder (its edge endpoint, "
      + "credentials and names from .mbl/local.json), or the endpoints given.")
  boolean local;

  @Option(names = "--profile", description = "Use this profile from your AWS credentials/config files.")
  String profile;

  @Option(names = "--region", description = "AWS region (default: the SDK's region chain, e.g. AWS_REGION).")
  String region;

  @Option(names = "--stack", description = "CloudFormation stack of mbl: its outputs name the tracker table and "
      + "config bucket.")
  String stack;

  @Option(names = "--tracker-table", description = "The tracker table (output TrackerTableName; env MBL_TRACKER_TABLE).")
  String trackerTable;

  @Option(names = "--config-bucket", description = "The config bucket (output ConfigBucketName; env MBL_CONFIG_BUCKET).")
  String configBucket;

  @Option(names = "--endpoint-url", description = "Send every AWS request to this URL (a stand-in's edge endpoint).")
  URI endpointUrl;

  @Option(names = "--s3-endpoint-url", description = "S3 endpoint (overrides --endpoint-url).")
  URI s3Endpoint;

  @Option(names = "--sqs-endpoint-url", description = "SQS endpoint (overrides --endpoint-url).")
  URI sqsEndpoint;

  @Option(names = "--dynamodb-endpoint-url", description = "DynamoDB endpoint (overrides --endpoint-url).")
  URI dynamoDbEndpoint;

  @Option(names = "--redshift-data-endpoint-url", description = "Redshift Data API endpoint (overrides --endpoint-url).")
  URI redshiftDataEndpoint;

  @Option(names = "--output", description = "table (default) or json.", defaultValue = "table")
  OutputFormat output;

  /** How results are printed. */
  public enum OutputFormat { table, json }
}
