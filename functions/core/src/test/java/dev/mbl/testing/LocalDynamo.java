package dev.mbl.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.mbl.aws.AwsClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, in memory, served over HTTP on a free loopback port so the SDK speaks the real
 * wire protocol (conditions, transactions, consistent reads) exactly as it does against AWS.
 */
public final class LocalDynamo implements AutoCloseable {
  private final DynamoDBProxyServer server;
  private final URI endpoint;
  private final AwsClients clients;

  private LocalDynamo(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
    this.clients = AwsClients.create(Region.US_EAST_1,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
        Map.of("dynamodb", endpoint));
  }

  public static LocalDynamo start() {
    ensureNativeLibraries();
    try {
      int port = freePort();
      DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
          new String[] {"-inMemory", "-port", Integer.toString(port)});
      server.start();
      return new LocalDynamo(server, URI.create("http://127.0.0.1:" + port));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start DynamoDB Local", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public DynamoDbClient client() {
    return clients.dynamo();
  }

  @Override
  public void close() {
    clients.close();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop DynamoDB Local", e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Maven copies sqlite4java's natives next to the build; point sqlite4java at them if unset. */
  private static void ensureNativeLibraries() {
    if (System.getProperty("sqlite4java.library.path") != null) {
      return;
    }
    for (Path candidate : new Path[] {Path.of("target/native-libs"), Path.of("../core/target/native-libs")}) {
      if (Files.isDirectory(candidate)) {
        System.setProperty("sqlite4java.library.path", candidate.toAbsolutePath().toString());
        return;
      }
    }
  }
}
