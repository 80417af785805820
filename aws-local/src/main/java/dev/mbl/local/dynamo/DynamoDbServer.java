package dev.mbl.local.dynamo;

import com.amazonaws.services.dynamodbv2.local.monitoring.Telemetry;
import com.amazonaws.services.dynamodbv2.local.monitoring.TelemetryUtil;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import dev.mbl.local.logging.QuietLogging;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, in memory, served over HTTP on a free loopback port, so the SDK speaks the
 * real wire protocol (conditions, transactions, consistent reads) as it does against AWS. One
 * shared database: every access key and region sees the same tables, so the CLI and the handlers
 * agree. No telemetry.
 */
public final class DynamoDbServer implements AutoCloseable {
  private static final int ATTEMPTS = 3;
  private final DynamoDBProxyServer server;
  private final LocalDynamoDBRequestHandler requests;
  private final int port;
  private DynamoDbClient client;

  private DynamoDbServer(DynamoDBProxyServer server, LocalDynamoDBRequestHandler requests, int port) {
    this.server = server;
    this.requests = requests;
    this.port = port;
  }

  /**
   * Starts DynamoDB Local. Its SQLite natives are looked up in the system property
   * {@code sqlite4java.library.path}; when that is unset, in {@code target/native-libs}, where the
   * build copies them.
   */
  public static DynamoDbServer start() {
    ensureNativeLibraries();
    QuietLogging.apply();
    // Built as ServerRunner builds it for "-inMemory -sharedDb -disableTelemetry", minus its banner on stdout.
    Telemetry.configureTelemetry(TelemetryUtil.SETUP_TYPE.MAVEN.name(), "IN_MEMORY_SHARED_DB", false);
    Exception last = null;
    // The free port is found, released, then bound by the server: retry if someone took it meanwhile.
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = freePort();
      LocalDynamoDBRequestHandler requests = null;
      try {
        requests = new LocalDynamoDBRequestHandler(0, true, null, true, false);
        DynamoDBProxyServer server = new DynamoDBProxyServer(port, new LocalDynamoDBServerHandler(requests, null));
        server.start();
        return new DynamoDbServer(server, requests, port);
      } catch (Exception e) {
        last = e;
        if (requests != null) {
          requests.shutdown();
        }
      }
    }
    throw new IllegalStateException("cannot start DynamoDB Local on a free loopback port: " + last.getMessage()
        + " (are the sqlite4java natives at sqlite4java.library.path="
        + System.getProperty("sqlite4java.library.path") + "?)", last);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** A client of this server, region us-east-1, any credentials (owned by it: do not close). */
  public synchronized DynamoDbClient client() {
    if (client == null) {
      client = DynamoDbClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
          .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }
    return client;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (client != null) {
        client.close();
      }
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop DynamoDB Local on port " + port + ": " + e.getMessage(), e);
    } finally {
      interruptBackgroundJobs();
    }
  }

  /**
   * DynamoDB Local 2.6.1 stops its background jobs (TTL deletion, stream shard rollover) with a
   * flag they read only after sleeping for minutes, on non-daemon threads: the JVM could not exit
   * until then. Its own {@code JobsRegister.shutdownNow()} interrupts them; nothing public reaches
   * it, hence the reflection, limited to this server's database and harmless if the fields move
   * (the threads then end after their sleep, as before).
   */
  private void interruptBackgroundJobs() {
    try {
      Field databases = LocalDynamoDBRequestHandler.class.getDeclaredField("dbRequestHandlers");
      databases.setAccessible(true);
      for (Object database : ((Map<?, ?>) databases.get(requests)).values()) {
        Field jobs = database.getClass().getDeclaredField("jobs");
        jobs.setAccessible(true);
        Object register = jobs.get(database);
        Method shutdownNow = register.getClass().getMethod("shutdownNow");
        shutdownNow.invoke(register);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Best effort only: see above.
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port for DynamoDB Local: " + e.getMessage(), e);
    }
  }

  private static void ensureNativeLibraries() {
    if (System.getProperty("sqlite4java.library.path") != null) {
      return;
    }
    for (Path candidate : new Path[] {Path.of("target/native-libs"), Path.of("aws-local/target/native-libs"),
        Path.of("local/target/native-libs")}) {
      if (Files.isDirectory(candidate)) {
        System.setProperty("sqlite4java.library.path", candidate.toAbsolutePath().toString());
        return;
      }
    }
  }
}
