package dev.mbl.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mbl.load.QueueMessage;
import dev.mbl.local.s3.S3Server;
import dev.mbl.testing.LoadHarness;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link ShadedJarDriver} in a JVM of its own, as Lambda runs the jar: class path = the shaded jar
 * and the driver class alone, settings and AWS endpoints from the environment only.
 */
final class DriverProcess implements AutoCloseable {
  static final Duration STEP_DEADLINE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "DRIVER ";
  private final Process process;
  private final Thread reader;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final List<String> output = new CopyOnWriteArrayList<>();

  private DriverProcess(ProcessBuilder builder) throws IOException {
    process = builder.start();
    commands = process.outputWriter(StandardCharsets.UTF_8);
    reader = new Thread(this::read, "shaded-jar-driver-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the driver on {@code jar} with the handlers' settings for {@code trackerTable} and the
   * SDK's {@code AWS_ENDPOINT_URL_<SERVICE>} variables pointing at the stand-ins; with
   * {@code snapStart}, Lambda's {@code AWS_LAMBDA_INITIALIZATION_TYPE} as when it initialises for a
   * snapshot (the constructors prime), else as on an on-demand cold start.
   */
  static DriverProcess start(Path jar, Path workDir, String trackerTable, URI dataApi, boolean snapStart)
      throws IOException {
    Path classes = Path.of(ShadedJarDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path target = Files.createDirectories(workDir.resolve("dev/mbl/lambda"));
    try (var files = Files.list(classes.resolve("dev/mbl/lambda"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("ShadedJarDriver")).toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Lambda's Java runtimes stop tiered compilation at C1 by default.
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-cp",
        jar.toAbsolutePath() + File.pathSeparator + workDir, ShadedJarDriver.class.getName())
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MBL_") || k.equals("JAVA_TOOL_OPTIONS"));
    env.putAll(Map.of("AWS_REGION", "us-east-1", "MBL_TRACKER_TABLE", trackerTable,
        "MBL_CONFIG_BUCKET", LoadHarness.CONFIG_BUCKET,
        "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
        "AWS_CONFIG_FILE", workDir.resolve("no-config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-credentials").toString(),
        "AWS_ENDPOINT_URL_S3", LoadHarness.s3().endpoint().toString(),
        "AWS_ENDPOINT_URL_DYNAMODB", LoadHarness.dynamo().endpoint().toString(),
        "AWS_ENDPOINT_URL_REDSHIFT_DATA", dataApi.toString()));
    env.put(Priming.INITIALIZATION_TYPE, snapStart ? Priming.SNAP_START : "on-demand");
    return new DriverProcess(builder);
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        output.add(line);
        if (line.startsWith(PREFIX)) {
          answers.add(line.substring(PREFIX.length()));
        }
      }
    } catch (IOException closed) {
      output.add("(output closed: " + closed.getMessage() + ")");
    }
  }

  /** Sends one command and returns the driver's answer to it. */
  JsonNode send(String command, String payload) throws IOException, InterruptedException {
    commands.write(command + " " + payload.replace('\n', ' ') + "\n");
    commands.flush();
    return await(command);
  }

  /** The driver's next answer, which must be for {@code step}; fails at once if the driver died. */
  JsonNode await(String step) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
    String line = answers.poll(200, TimeUnit.MILLISECONDS);
    while (line == null && System.nanoTime() < deadline && (reader.isAlive() || !answers.isEmpty())) {
      line = answers.poll(200, TimeUnit.MILLISECONDS);
    }
    if (line == null) {
      throw new AssertionError("no driver answer to " + step + "; its output:\n" + output());
    }
    JsonNode node = JSON.readTree(line);
    if (!step.equals(node.path("step").asText())) {
      throw new AssertionError("driver answered " + node + " instead of " + step + "; its output:\n" + output());
    }
    return node;
  }

  /** Everything the driver printed so far (handler log lines included), for failure messages. */
  String output() {
    return String.join("\n", output);
  }

  /** The handlers' JSON log lines so far with this {@code action}. */
  List<JsonNode> logLines(String action) throws IOException {
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String line : output) {
      if (line.startsWith("{")) {
        JsonNode node = JSON.readTree(line);
        if (action.equals(node.path("action").asText())) {
          lines.add(node);
        }
      }
    }
    return lines;
  }

  /** The {@code sqs} command's payload for these messages. */
  static String sqsRecords(QueueMessage... messages) {
    ArrayNode records = JSON.createArrayNode();
    for (QueueMessage m : messages) {
      records.addObject().put("messageId", m.messageId()).put("eventSourceArn", m.eventSourceArn())
          .put("body", m.body());
    }
    return records.toString();
  }

  @Override
  public void close() {
    try {
      commands.write("quit\n");
      commands.close();
    } catch (IOException gone) {
      // the driver has already ended
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the driver did not end within 30 s of quit");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
