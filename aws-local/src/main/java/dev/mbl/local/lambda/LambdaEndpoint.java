package dev.mbl.local.lambda;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's Invoke API ({@code POST /2015-03-31/functions/{FunctionName}/invocations}) for the
 * local functions, so {@code aws lambda invoke --endpoint-url ...} and the SDK's LambdaClient
 * work as against AWS: RequestResponse answers 200 with the function's payload (a handler that
 * throws answers 200 with {@code X-Amz-Function-Error: Unhandled} and an error object), Event
 * answers 202 and runs it asynchronously (Lambda's retries), DryRun answers 204. The function is
 * named by name, partial ARN or ARN, optionally with a qualifier ($LATEST or one of its aliases).
 * Any SigV4 signature is accepted; the other errors use Lambda's error types ("Invoke" in the
 * Lambda API reference) and the texts Lambda returns.
 */
public final class LambdaEndpoint implements AutoCloseable {
  /** "Lambda quotas": invocation payload (request and response), synchronous. */
  static final int SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
  /**
   * "Lambda quotas": asynchronous invocation payload. 256 KB, the long-standing limit (AWS has
   * since raised it in some regions): nothing passes here that a region could refuse.
   */
  static final int ASYNC_PAYLOAD_LIMIT = 256 * 1024;
  private static final Pattern PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations/?");
  private static final Pattern ARN =
      Pattern.compile("(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):)?(?:(\\d{12}):function:)?([A-Za-z0-9_-]{1,64})(?::([$A-Za-z0-9_-]+))?");

  /** What the endpoint can invoke: bytes in, bytes out, and a queued asynchronous invocation. */
  public interface Invocable {
    /** Invokes and waits; throws {@link FunctionErrorException} when the handler throws. */
    byte[] invoke(byte[] payload);

    /** Queues the invocation (Lambda's asynchronous invocation, with its retries). */
    void invokeAsync(byte[] payload);
  }

  private record Registered(Invocable function, Set<String> aliases) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Registered> functions = new ConcurrentHashMap<>();
  private final String region;
  private final String account;
  private final HttpServer server;
  private final ExecutorService http;

  private LambdaEndpoint(String region, String account, HttpServer server, ExecutorService http) {
    this.region = region;
    this.account = account;
    this.server = server;
    this.http = http;
  }

  /**
   * Starts the endpoint on loopback.
   *
   * @param port 0 for a free port
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static LambdaEndpoint start(String region, String account, int port) {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    AtomicInteger threads = new AtomicInteger();
    ExecutorService http = Executors.newFixedThreadPool(4, r -> {
      Thread thread = new Thread(r, "mbl-local-lambda-api-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
      LambdaEndpoint endpoint = new LambdaEndpoint(region, account, server, http);
      server.createContext("/", endpoint::exchange);
      server.setExecutor(http);
      server.start();
      return endpoint;
    } catch (IOException e) {
      http.shutdownNow();
      throw new UncheckedIOException("cannot bind the Lambda endpoint to 127.0.0.1:" + port + ": " + e.getMessage()
          + (port == 0 ? "" : " (is another local stack running? pick another port)"), e);
    }
  }

  /** Adapts a function taking and returning bytes (a stream handler: NextLoader, BulkLoader). */
  public static Invocable of(LocalFunction<byte[], byte[]> function) {
    return new Invocable() {
      @Override
      public byte[] invoke(byte[] payload) {
        return function.invoke(payload);
      }

      @Override
      public void invokeAsync(byte[] payload) {
        function.invokeAsync(payload);
      }
    };
  }

  /**
   * Adapts a typed function (MicrobatchLoader's SQSEvent in, SQSBatchResponse out): the payload is
   * read into {@code type} as the Java runtime does (property names match case-insensitively, so
   * the event's {@code eventSourceARN} fills {@code eventSourceArn}) and the answer written as JSON.
   */
  public static <I, O> Invocable json(LocalFunction<I, O> function, Class<I> type) {
    ObjectMapper mapper = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    return new Invocable() {
      @Override
      public byte[] invoke(byte[] payload) {
        I input = read(payload);
        try {
          return mapper.writeValueAsBytes(function.invoke(input));
        } catch (IOException e) {
          throw new FunctionErrorException("function " + function.name() + " answered what is not JSON: " + e, e);
        }
      }

      @Override
      public void invokeAsync(byte[] payload) {
        function.invokeAsync(read(payload));
      }

      private I read(byte[] payload) {
        try {
          return mapper.readValue(payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload, type);
        } catch (IOException e) {
          throw new FunctionErrorException("function " + function.name() + " cannot read its input as "
              + type.getSimpleName() + ": " + e.getMessage(), e);
        }
      }
    };
  }

  /** Makes {@code function} invocable by name with no qualifier, $LATEST or one of {@code aliases}. */
  public void register(String name, Invocable function, String... aliases) {
    functions.put(name, new Registered(Objects.requireNonNull(function, "function"), Set.of(aliases)));
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    http.shutdownNow();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
      if (!path.matches() || !"POST".equals(exchange.getRequestMethod())) {
        error(exchange, 404, "UnknownOperationException", "Unknown operation: this endpoint only serves Invoke "
            + "(POST /2015-03-31/functions/{FunctionName}/invocations)");
        return;
      }
      String requested = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
      String qualifier = query(exchange.getRequestURI().getRawQuery(), "Qualifier");
      Registered function = resolve(requested, qualifier);
      if (function == null) {
        error(exchange, 404, "ResourceNotFoundException", "Function not found: " + arnOf(requested, qualifier));
        return;
      }
      String type = header(exchange, "X-Amz-Invocation-Type", "RequestResponse");
      byte[] payload = read(exchange.getRequestBody());
      switch (type) {
        case "RequestResponse" -> requestResponse(exchange, function.function(), payload);
        case "Event" -> {
          if (tooLarge(exchange, payload, ASYNC_PAYLOAD_LIMIT) || !isJson(exchange, payload)) {
            return;
          }
          function.function().invokeAsync(payload);
          exchange.sendResponseHeaders(202, -1);
        }
        case "DryRun" -> exchange.sendResponseHeaders(204, -1);
        default -> error(exchange, 400, "InvalidParameterValueException", "1 validation error detected: Value '"
            + type + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: "
            + "[Event, RequestResponse, DryRun]");
      }
    }
  }

  private void requestResponse(HttpExchange exchange, Invocable function, byte[] payload) throws IOException {
    if (tooLarge(exchange, payload, SYNC_PAYLOAD_LIMIT) || !isJson(exchange, payload)) {
      return;
    }
    byte[] answer;
    try {
      answer = function.invoke(payload);
    } catch (FunctionErrorException failed) {
      Throwable cause = failed.getCause() == null ? failed : failed.getCause();
      ObjectNode body = json.createObjectNode();
      body.put("errorMessage", String.valueOf(cause.getMessage()));
      body.put("errorType", cause.getClass().getName());
      body.putArray("stackTrace");
      exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
      answer = json.writeValueAsBytes(body);
    }
    exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, 200, answer == null ? new byte[0] : answer);
  }

  /** Lambda parses the payload as JSON before invoking (an empty payload is allowed). */
  private boolean isJson(HttpExchange exchange, byte[] payload) throws IOException {
    if (payload.length == 0) {
      return true;
    }
    try {
      json.readTree(payload);
      return true;
    } catch (IOException malformed) {
      error(exchange, 400, "InvalidRequestContentException", "Could not parse request body into json: "
          + "Could not parse payload into json: " + malformed.getMessage().lines().findFirst().orElse(""));
      return false;
    }
  }

  private boolean tooLarge(HttpExchange exchange, byte[] payload, int limit) throws IOException {
    if (payload.length <= limit) {
      return false;
    }
    error(exchange, 413, "RequestTooLargeException", "Request must be smaller than " + limit
        + " bytes for the InvokeFunction operation");
    return true;
  }

  private Registered resolve(String requested, String qualifier) {
    Matcher arn = ARN.matcher(requested);
    if (!arn.matches() || (arn.group(1) != null && !arn.group(1).equals(region))
        || (arn.group(2) != null && !arn.group(2).equals(account))) {
      return null;
    }
    if (arn.group(4) != null && qualifier != null && !arn.group(4).equals(qualifier)) {
      return null;
    }
    String version = arn.group(4) != null ? arn.group(4) : qualifier;
    Registered function = functions.get(arn.group(3));
    if (function == null || (version != null && !"$LATEST".equals(version) && !function.aliases().contains(version))) {
      return null;
    }
    return function;
  }

  private String arnOf(String requested, String qualifier) {
    Matcher arn = ARN.matcher(requested);
    String name = arn.matches() ? arn.group(3) : requested;
    String version = arn.matches() && arn.group(4) != null ? arn.group(4) : qualifier;
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + name + (version == null ? "" : ":" + version);
  }

  private void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    ObjectNode body = json.createObjectNode();
    body.put("Type", "User");
    body.put("Message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, json.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static String header(HttpExchange exchange, String name, String fallback) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static String query(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static byte[] read(InputStream body) throws IOException {
    // One byte past the largest payload: an oversized one is refused without buffering it all.
    byte[] bytes = body.readNBytes(SYNC_PAYLOAD_LIMIT + 1);
    body.transferTo(java.io.OutputStream.nullOutputStream());
    return bytes;
  }
}
