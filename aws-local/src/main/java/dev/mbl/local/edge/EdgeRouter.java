package dev.mbl.local.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One endpoint for every stand-in: each request goes to the service that signed it, read from
 * the SigV4 credential scope ({@code Credential=<key>/<date>/<region>/<service>/aws4_request} in
 * the Authorization header or the {@code X-Amz-Credential} query parameter of a presigned URL),
 * so a single {@code --endpoint-url} serves S3, SQS, DynamoDB, the Redshift Data API and Lambda.
 * A request is forwarded byte for byte with its Host header, so S3's signature check still holds.
 * An unsigned request is routed by its {@code X-Amz-Target} (DynamoDB, SQS JSON, Data API); any
 * other is refused naming what is missing.
 */
public final class EdgeRouter implements AutoCloseable {
  /** Headers the JDK client sets itself or refuses; Host is allowed through (see {@link #allowHostHeader}). */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "keep-alive",
      "transfer-encoding", "upgrade", "te", "trailer", "proxy-connection");
  private static final Map<String, String> TARGET_PREFIXES = Map.of("dynamodb_", "dynamodb", "amazonsqs.", "sqs",
      "redshiftdata.", "redshift-data");

  private final Map<String, URI> services;
  private final HttpServer server;
  private final ExecutorService threads;
  private final HttpClient client;

  private EdgeRouter(Map<String, URI> services, HttpServer server, ExecutorService threads, HttpClient client) {
    this.services = services;
    this.server = server;
    this.threads = threads;
    this.client = client;
  }

  /**
   * Starts the edge on loopback.
   *
   * @param services signing service name (s3, sqs, dynamodb, redshift-data, lambda) -> its endpoint
   * @param port the edge's port; 0 for a free one
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static EdgeRouter start(Map<String, URI> services, int port) {
    allowHostHeader();
    AtomicInteger count = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(16, r -> {
      Thread thread = new Thread(r, "mbl-local-edge-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).executor(threads).build();
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
      EdgeRouter edge = new EdgeRouter(Map.copyOf(services), server, threads, client);
      server.createContext("/", edge::exchange);
      server.setExecutor(threads);
      server.start();
      return edge;
    } catch (IOException e) {
      threads.shutdownNow();
      throw new UncheckedIOException("cannot bind the edge endpoint to 127.0.0.1:" + port + ": " + e.getMessage()
          + (port == 0 ? "" : " (is another local stack running? stop it, or pick another port with --port)"), e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The signing service of a request: the credential scope's service, else the service its
   * {@code X-Amz-Target} names, else S3 for a SigV2 signature ({@code AWS key:signature}).
   */
  static Optional<String> service(String authorization, String rawQuery, String target) {
    String scope = null;
    if (authorization != null) {
      int at = authorization.indexOf("Credential=");
      if (at >= 0) {
        int end = authorization.indexOf(',', at);
        scope = authorization.substring(at + "Credential=".length(), end < 0 ? authorization.length() : end).trim();
      } else if (authorization.startsWith("AWS ")) {
        return Optional.of("s3");
      }
    }
    if (scope == null && rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        if (pair.startsWith("X-Amz-Credential=")) {
          scope = java.net.URLDecoder.decode(pair.substring("X-Amz-Credential=".length()), StandardCharsets.UTF_8);
        }
      }
    }
    if (scope != null) {
      String[] parts = scope.split("/");
      if (parts.length == 5 && "aws4_request".equals(parts[4])) {
        return Optional.of(parts[3]);
      }
    }
    if (target != null) {
      String lower = target.toLowerCase(Locale.ROOT);
      return TARGET_PREFIXES.entrySet().stream().filter(e -> lower.startsWith(e.getKey()))
          .map(Map.Entry::getValue).findFirst();
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      var headers = exchange.getRequestHeaders();
      Optional<String> service = service(headers.getFirst("Authorization"), exchange.getRequestURI().getRawQuery(),
          headers.getFirst("X-Amz-Target"));
      URI backend = service.map(services::get).orElse(null);
      if (backend == null) {
        refuse(exchange, service);
        return;
      }
      forward(exchange, backend);
    }
  }

  private void forward(HttpExchange exchange, URI backend) throws IOException {
    URI incoming = exchange.getRequestURI();
    String pathAndQuery = incoming.getRawPath() + (incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery());
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.toString() + pathAndQuery))
        .timeout(Duration.ofMinutes(16))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding to " + backend, e);
    }
    long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    response.headers().map().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":")) {
        exchange.getResponseHeaders().put(name, List.copyOf(values));
      }
    });
    boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || response.statusCode() == 204
        || response.statusCode() == 304 || length == 0;
    if (noBody && length >= 0 && "HEAD".equals(exchange.getRequestMethod())) {
      // HEAD answers the object's length without a body (S3 HeadObject): keep the header as it came.
      exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
    }
    exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : Math.max(length, 0));
    try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
      if (!noBody) {
        in.transferTo(out);
      }
    }
  }

  private void refuse(HttpExchange exchange, Optional<String> service) throws IOException {
    String message = service.map(s -> "service '" + s + "' is not served here; fix: sign for one of "
        + new TreeSet<>(services.keySet())).orElse("the request names no service: the edge routes by the SigV4 "
        + "credential scope (.../<region>/<service>/aws4_request); fix: sign the request (any credentials work)");
    byte[] body = ("{\"__type\":\"UnrecognizedClientException\",\"message\":\"" + message.replace("\"", "'") + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    exchange.sendResponseHeaders(400, body.length);
    exchange.getResponseBody().write(body);
  }

  /**
   * The JDK's HTTP client refuses to set Host unless allowed by this system property, read once
   * when the client's classes load; S3 checks the signature over Host, so the edge must keep it.
   */
  private static void allowHostHeader() {
    String allowed = System.getProperty("jdk.httpclient.allowRestrictedHeaders", "");
    if (!allowed.toLowerCase(Locale.ROOT).contains("host")) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", allowed.isBlank() ? "host" : allowed + ",host");
    }
  }
}
