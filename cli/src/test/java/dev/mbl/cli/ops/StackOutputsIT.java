package dev.mbl.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --stack NAME}: the deployment's names come from the stack's outputs (MblStack's
 * TrackerTableName and ConfigBucketName), read with CloudFormation's DescribeStacks over its Query
 * protocol. The endpoint answers with the response shape of the DescribeStacks API reference.
 */
class StackOutputsIT {
  private static final String RESPONSE = """
      <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
        <DescribeStacksResult>
          <Stacks>
            <member>
              <StackName>Mbl</StackName>
              <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/Mbl/1f2e3d4c</StackId>
              <CreationTime>2026-11-29T00:00:00Z</CreationTime>
              <StackStatus>CREATE_COMPLETE</StackStatus>
              <Outputs>
                <member><OutputKey>TrackerTableName</OutputKey><OutputValue>Mbl-Tracker-ABC</OutputValue></member>
                <member><OutputKey>ConfigBucketName</OutputKey><OutputValue>mbl-config-abc</OutputValue></member>
                <member><OutputKey>AlarmTopicArn</OutputKey><OutputValue>arn:aws:sns:eu-west-1:1:t</OutputValue></member>
              </Outputs>
            </member>
          </Stacks>
        </DescribeStacksResult>
        <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>
      </DescribeStacksResponse>""";

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    server.createContext("/", exchange -> {
      requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = RESPONSE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/xml");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    // The default credential chain reads these system properties first.
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "secret");
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private OpsOptions options() {
    OpsOptions options = new OpsOptions();
    options.stack = "Mbl";
    options.region = "eu-west-1";
    options.endpointUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return options;
  }

  @Test
  void open_stackName_namesFromItsOutputs() {
    try (OpsSession session = OpsSession.open(options(), Map.of())) {
      assertThat(session.components().settings().trackerTable()).isEqualTo("Mbl-Tracker-ABC");
      assertThat(session.components().settings().configBucket()).isEqualTo("mbl-config-abc");
      assertThat(session.components().settings().region()).isEqualTo("eu-west-1");
    }
    assertThat(requests).singleElement().asString().contains("Action=DescribeStacks", "StackName=Mbl");
  }

  @Test
  void open_flagsWinOverOutputs_andNoStackCallWhenBothGiven() {
    OpsOptions options = options();
    options.trackerTable = "mine";
    options.configBucket = "my-bucket";
    try (OpsSession session = OpsSession.open(options, Map.of())) {
      assertThat(session.components().settings().trackerTable()).isEqualTo("mine");
    }
    assertThat(requests).isEmpty();
  }

  @Test
  void open_noNamesAnywhere_saysHowToNameTheDeployment() {
    OpsOptions options = options();
    options.stack = null;
    assertThatThrownBy(() -> OpsSession.open(options, Map.of())).isInstanceOf(UsageException.class)
        .hasMessageContaining("--stack NAME").hasMessageContaining("--tracker-table");
  }

  @Test
  void open_environmentNames_usedWithoutStack() {
    OpsOptions options = options();
    options.stack = null;
    try (OpsSession session = OpsSession.open(options, Map.of("MBL_TRACKER_TABLE", "env-tracker",
        "MBL_CONFIG_BUCKET", "env-bucket"))) {
      assertThat(session.components().settings().configBucket()).isEqualTo("env-bucket");
    }
  }
}
