package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AWS CLI against the emulator; skipped when {@code /usr/bin/aws} is not installed. */
class AwsCliIT {
  private static final Path AWS = Path.of("/usr/bin/aws");
  private static EmulatorFixture fixture;

  @BeforeAll
  static void start() {
    assumeTrue(Files.isExecutable(AWS), "the AWS CLI is not installed at " + AWS + " (apt-get install awscli)");
    fixture = EmulatorFixture.start();
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void executeAndDescribeStatement_throughTheCli() throws Exception {
    JsonNode submitted = aws("execute-statement", "--cluster-identifier", EmulatorFixture.CLUSTER, "--database", "dev",
        "--sql", "CREATE TABLE cli_t (a INT) DISTSTYLE ALL", "--statement-name", "from-cli", "--with-event");
    String id = submitted.path("Id").asText();
    fixture.await(id);

    JsonNode described = aws("describe-statement", "--id", id);

    assertThat(described.path("Status").asText()).isEqualTo("FINISHED");
    assertThat(described.path("QueryString").asText()).isEqualTo("CREATE TABLE cli_t (a INT) DISTSTYLE ALL");
    assertThat(described.path("ClusterIdentifier").asText()).isEqualTo(EmulatorFixture.CLUSTER);
    assertThat(fixture.eventOf(id).path("detail").path("statementName").asText()).isEqualTo("from-cli");

    String select = aws("execute-statement", "--cluster-identifier", EmulatorFixture.CLUSTER, "--database", "dev",
        "--sql", "SELECT 41 + 1 AS answer").path("Id").asText();
    fixture.await(select);
    JsonNode result = aws("get-statement-result", "--id", select);
    assertThat(result.path("Records").get(0).get(0).path("longValue").asLong()).isEqualTo(42);
  }

  private static JsonNode aws(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(AWS.toString(), "redshift-data"));
    command.addAll(List.of(arguments));
    command.addAll(List.of("--endpoint-url", fixture.emulator.endpoint().toString(), "--region",
        EmulatorFixture.REGION, "--output", "json", "--no-cli-pager"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY", "local-secret",
        "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("aws %s timed out", arguments[0]).isTrue();
    assertThat(process.exitValue()).as("aws %s failed: %s", arguments[0], output).isZero();
    return new ObjectMapper().readTree(output);
  }
}
