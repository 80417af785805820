package dev.mbl.local.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mbl.local.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Every stand-in answers on the one edge endpoint, to the SDK and to the AWS CLI (v1 and v2 alike). */
class EdgeIT {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret"));
  private static LocalStack stack;
  private static URI edge;

  @BeforeAll
  static void start() {
    stack = LocalStack.builder().pollWait(Duration.ofSeconds(1)).reconcileEvery(Duration.ZERO)
        .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).start();
    edge = stack.endpoints().edge();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void sdkClients_pointedAtTheEdge_reachS3SqsDynamoDbAndTheDataApi() {
    try (S3Client s3 = S3Client.builder().endpointOverride(edge).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
            .forcePathStyle(true).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(edge).region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(edge).region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS).build();
        RedshiftDataClient data = RedshiftDataClient.builder().endpointOverride(edge).region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS).build()) {
      s3.putObject(p -> p.bucket("mbl-config").key("edge/hello.txt"), RequestBody.fromString("hello"));
      assertThat(s3.getObjectAsBytes(g -> g.bucket("mbl-config").key("edge/hello.txt")).asUtf8String())
          .isEqualTo("hello");
      assertThat(s3.headObject(h -> h.bucket("mbl-config").key("edge/hello.txt")).contentLength()).isEqualTo(5);
      assertThat(sqs.createQueue(c -> c.queueName("edge-queue")).queueUrl()).endsWith("/edge-queue");
      assertThat(dynamo.listTables().tableNames()).contains("mbl-tracker");
      assertThat(data.listStatements(l -> l.maxResults(1)).statements()).isNotNull();
    }
  }

  @Test
  void unsignedRequest_withoutTarget_isRefusedNamingTheFix() throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(edge.resolve("/mbl-config"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("aws4_request").contains("fix: sign the request");
  }

  @Test
  void awsCli_oneEndpointUrl_servesEveryServiceAndInvokesTheFunctions() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/aws")), "Debian's awscli is not installed at /usr/bin/aws");
    Path file = Files.createTempFile("mbl-edge-", ".csv");
    Files.writeString(file, "a,b\n1,2\n");

    aws("s3", "mb", "s3://edge-cli");
    aws("s3", "cp", file.toString(), "s3://edge-cli/in/x.csv");
    assertThat(aws("s3", "ls", "s3://edge-cli/in/")).contains("x.csv");
    aws("sqs", "create-queue", "--queue-name", "edge-cli-queue");
    assertThat(aws("sqs", "list-queues")).contains("/edge-cli-queue");
    assertThat(aws("dynamodb", "list-tables")).contains("mbl-tracker");
    assertThat(aws("redshift-data", "execute-statement", "--cluster-identifier", "analytics", "--database", "dev",
        "--sql", "select 1", "--query", "Id", "--output", "text")).isNotBlank();
    Path out = Files.createTempFile("mbl-edge-", ".json");
    assertThat(aws("lambda", "invoke", "--function-name", "NextLoader", "--cli-binary-format", "raw-in-base64-out",
        "--payload", "{\"action\":\"reconcile\"}", out.toString())).contains("\"StatusCode\": 200");
    assertThat(Files.readString(out)).isNotBlank();
    Files.delete(file);
    Files.delete(out);
  }

  /** Lambda's Invoke errors: "Invoke" in the Lambda API reference lists ResourceNotFoundException (404). */
  @Test
  void awsCli_invokeUnknownFunction_failsWithResourceNotFound() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/aws")), "Debian's awscli is not installed at /usr/bin/aws");
    Path out = Files.createTempFile("mbl-edge-", ".json");
    Result result = run("lambda", "invoke", "--function-name", "NoSuchLoader", out.toString());

    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("ResourceNotFoundException")
        .contains("Function not found: arn:aws:lambda:us-east-1:000000000000:function:NoSuchLoader");
    Files.delete(out);
  }

  private static String aws(String... args) throws Exception {
    Result result = run(args);
    assertThat(result.exit()).as("aws " + String.join(" ", args) + ": " + result.output()).isZero();
    return result.output();
  }

  private record Result(int exit, String output) {}

  private static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", edge.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", "local");
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "local-secret");
    builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
    builder.environment().put("AWS_PAGER", "");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("aws " + String.join(" ", args) + " ends").isTrue();
    return new Result(process.exitValue(), output);
  }
}
