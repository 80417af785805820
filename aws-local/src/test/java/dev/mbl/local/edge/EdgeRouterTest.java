package dev.mbl.local.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Routing by "Signature Version 4 signing": the credential scope names the service. */
class EdgeRouterTest {
  @Test
  void service_sigV4AuthorizationHeader_isTheCredentialScopesService() {
    String auth = "AWS4-HMAC-SHA256 Credential=local/20261129/us-east-1/redshift-data/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=abc";
    assertThat(EdgeRouter.service(auth, null, null)).contains("redshift-data");
  }

  @Test
  void service_presignedUrl_isTheCredentialQueryParametersService() {
    String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=local%2F20261129%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Signature=abc";
    assertThat(EdgeRouter.service(null, query, null)).contains("s3");
  }

  @Test
  void service_unsignedOrSigV2_fallsBackToTargetOrS3() {
    assertThat(EdgeRouter.service(null, null, "DynamoDB_20120810.ListTables")).contains("dynamodb");
    assertThat(EdgeRouter.service(null, null, "AmazonSQS.ListQueues")).contains("sqs");
    assertThat(EdgeRouter.service(null, null, "RedshiftData.ExecuteStatement")).contains("redshift-data");
    assertThat(EdgeRouter.service("AWS local:c2lnbmF0dXJl", null, null)).contains("s3");
    assertThat(EdgeRouter.service(null, "list-type=2", null)).isEmpty();
  }
}
