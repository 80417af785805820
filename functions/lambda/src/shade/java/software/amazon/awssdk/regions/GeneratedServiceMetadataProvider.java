package software.amazon.awssdk.regions;

import software.amazon.awssdk.regions.servicemetadata.DynamodbServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.S3ServiceMetadata;

/**
 * Replaces the SDK's class of the same name in the Lambda jar only (see functions/lambda/pom.xml):
 * the SDK's version instantiates the metadata of every AWS service (about 310 classes, 2 MB) the
 * first time any client is built, although mbl's clients only ever ask for {@code s3},
 * {@code dynamodb} and {@code redshift-data}. The two that the SDK has metadata for are the SDK's
 * own generated classes; any other prefix gets {@code null}, which {@link ServiceMetadata#of}
 * turns into {@link DefaultServiceMetadata} exactly as it does for services missing from the
 * SDK's table ({@code redshift-data} is one). Not on the module's class path: tests of the
 * unshaded classes and the local runtime keep the SDK's class; ShadedJarIT runs this one.
 */
public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {
  private static final ServiceMetadata S3 = new S3ServiceMetadata();
  private static final ServiceMetadata DYNAMODB = new DynamodbServiceMetadata();

  @Override
  public ServiceMetadata serviceMetadata(String endpointPrefix) {
    return switch (endpointPrefix) {
      case "s3" -> S3;
      case "dynamodb" -> DYNAMODB;
      default -> null;
    };
  }
}
