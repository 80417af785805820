package dev.mbl.local.redshift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mbl.local.latency.Latency;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Redshift Data API on {@code http://127.0.0.1:<free port>}, backed by a {@link LocalPostgres}:
 * it speaks the service's wire protocol (awsJson1_1, {@code X-Amz-Target: RedshiftData.<Op>}), so
 * the unmodified SDK client and the AWS CLI work against {@link #endpoint()}. Any SigV4 signature
 * is accepted.
 *
 * <p>Statements run asynchronously, a batch as one SERIALIZABLE transaction. Redshift SQL is
 * translated (table attributes stripped, types and functions mapped), COPY from S3 is executed
 * by the emulator (CSV, text, JSON 'auto', Parquet; GZIP, BZIP2, ZSTD; manifests) and failed
 * loads leave rows in {@code stl_load_errors}. When a request sets {@code WithEvent}, the
 * EventBridge "Redshift Data Statement Status Change" event is given to {@code statusEvents}
 * as JSON when the statement ends (on a runner thread; the consumer must be thread-safe).
 *
 * <p>It is our model of Redshift and never more permissive for anything mbl sends: each rule it
 * enforces, its AWS document and its test are listed in docs/redshift-fidelity.md. Test switches
 * (throttling, refused submissions, holding statements, bucket regions) are public methods.
 *
 * <p>Given a {@link Latency}, it answers each call {@code dataApiRequest} late (each request on a
 * thread of its own, so one pause never holds another request) and runs statements at Redshift's
 * pace (see {@code StatementRunner}).
 */
public final class DataApiEmulator implements AutoCloseable {
  private static final String TARGET_PREFIX = "RedshiftData.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final int RUNNERS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService http;
  private final ExecutorService runners;
  private final StatementStore store;
  private final DataApiOperations operations;
  private final TestSwitches switches;
  private final BucketRegions regions;
  private final URI endpoint;
  private final Latency latency;

  private DataApiEmulator(HttpServer server, ExecutorService http, ExecutorService runners, StatementStore store,
      DataApiOperations operations, TestSwitches switches, BucketRegions regions, Latency latency) {
    this.latency = latency;
    this.switches = switches;
    this.regions = regions;
    this.server = server;
    this.http = http;
    this.runners = runners;
    this.store = store;
    this.operations = operations;
    this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Starts the emulator.
   *
   * @param postgres the warehouse; {@code stl_load_errors} is created in it if missing
   * @param s3 the client COPY reads manifests and files with
   * @param statusEvents receives each status change event as JSON; must not block for long
   * @param region the region named in events and ARNs, e.g. {@code us-east-1}
   * @param account the 12-digit account named in events and ARNs
   * @throws UncheckedIOException when the port cannot be bound
   * @throws IllegalStateException when PostgreSQL is not reachable
   */
  public static DataApiEmulator start(LocalPostgres postgres, S3Client s3, Consumer<String> statusEvents,
      String region, String account) {
    return start(postgres, s3, statusEvents, region, account, Latency.NONE);
  }

  /**
   * Starts the emulator with Redshift's latencies and costs: as {@link #start(LocalPostgres, S3Client, Consumer,
   * String, String)}, each call answered {@code latency}'s dataApiRequest late and each statement
   * taking its queueing, transaction, copy and scan time.
   */
  public static DataApiEmulator start(LocalPostgres postgres, S3Client s3, Consumer<String> statusEvents,
      String region, String account, Latency latency) {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(postgres, "postgres");
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(statusEvents, "statusEvents");
    LoadErrorLog errorLog = new LoadErrorLog(postgres.dataSource());
    try {
      errorLog.create();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create " + LoadErrorLog.TABLE + " in the embedded PostgreSQL on port "
          + postgres.port() + ": " + e.getMessage(), e);
    }
    StatementStore store = new StatementStore();
    TestSwitches switches = new TestSwitches();
    BucketRegions regions = new BucketRegions(region);
    StatementRunner runner = new StatementRunner(postgres.dataSource(),
        new CopyLoader(new CopySources(s3, regions), errorLog), new StatusEvents(region, account), statusEvents,
        switches, latency);
    ExecutorService runners = Executors.newFixedThreadPool(RUNNERS, daemons("data-api-statement"));
    // A paused answer holds its thread: with a request latency, every request gets a thread.
    ExecutorService http = latency.profile().dataApiRequest().isZero()
        ? Executors.newFixedThreadPool(4, daemons("data-api-http"))
        : Executors.newCachedThreadPool(daemons("data-api-http"));
    DataApiOperations operations = new DataApiOperations(store, runner, runners,
        new TableDescriber(postgres.dataSource()), switches);
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      DataApiEmulator emulator = new DataApiEmulator(server, http, runners, store, operations, switches, regions,
          latency);
      server.createContext("/", emulator::exchange);
      server.setExecutor(http);
      server.start();
      return emulator;
    } catch (IOException e) {
      runners.shutdownNow();
      http.shutdownNow();
      throw new UncheckedIOException("cannot bind the Data API emulator to 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /** The endpoint to give the SDK ({@code endpointOverride}) or the AWS CLI ({@code --endpoint-url}). */
  public URI endpoint() {
    return endpoint;
  }

  /** The region the emulated warehouse is in: COPY's resources must be there unless COPY names REGION. */
  public String region() {
    return regions.warehouseRegion();
  }

  /**
   * Places an S3 bucket in {@code region} (S3Proxy has none; every bucket is in {@link #region()}
   * until placed), so that a COPY from it fails unless its REGION names that region.
   */
  public void placeBucket(String bucket, String region) {
    regions.place(bucket, region);
  }

  /**
   * Answers the next {@code requests} Data API requests, of any operation, with HTTP 400
   * ThrottlingException. The SDK retries throttling by itself, so each of its attempts uses one.
   */
  public void throttleNextRequests(int requests) {
    switches.throttle(requests);
  }

  /** Refuses the next {@code submissions} ExecuteStatement or BatchExecuteStatement requests with ActiveStatementsExceededException. */
  public void refuseNextSubmissions(int submissions) {
    switches.refuse(submissions);
  }

  /**
   * While on, each new statement stops once it is STARTED and runs no SQL until
   * {@link #releaseStatements()} (or, at most, two minutes): a test can then CancelStatement it
   * while it runs, and it ends ABORTED.
   */
  public void holdStatements() {
    switches.hold(true);
  }

  /** Lets held statements run on. */
  public void releaseStatements() {
    switches.hold(false);
  }

  /** Stops serving and cancels every statement still running. */
  @Override
  public void close() {
    server.stop(0);
    for (Statement statement : store.active()) {
      try {
        statement.cancel();
      } catch (DataApiException alreadyEnded) {
        // ended meanwhile
      }
    }
    runners.shutdown();
    try {
      if (!runners.awaitTermination(10, TimeUnit.SECONDS)) {
        runners.shutdownNow();
      }
    } catch (InterruptedException e) {
      runners.shutdownNow();
      Thread.currentThread().interrupt();
    }
    http.shutdownNow();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode response;
      int status = 200;
      try {
        response = operations.handle(operation(exchange), body(exchange));
      } catch (DataApiException e) {
        status = e.status();
        response = DataApiJson.error(e);
      } catch (RuntimeException e) {
        DataApiException internal = DataApiException.internal("The local Data API emulator failed: " + e);
        status = internal.status();
        response = DataApiJson.error(internal);
      }
      byte[] bytes = JSON.writeValueAsBytes(response);
      latency.dataApiRequest();
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      if (status != 200) {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", response.path("__type").asText());
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String operation(HttpExchange exchange) {
    if (!"POST".equals(exchange.getRequestMethod())) {
      throw DataApiException.unknownOperation("The Data API takes POST requests, not " + exchange.getRequestMethod());
    }
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw DataApiException.unknownOperation("X-Amz-Target must be RedshiftData.<Operation>, not " + target);
    }
    return target.substring(TARGET_PREFIX.length());
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readAllBytes();
    }
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode body = JSON.readTree(bytes);
      if (body == null || !body.isObject()) {
        throw DataApiException.serialization("The request body must be a JSON object");
      }
      return body;
    } catch (JsonProcessingException e) {
      throw DataApiException.serialization("The request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
