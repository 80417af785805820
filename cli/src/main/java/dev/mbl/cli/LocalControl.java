package dev.mbl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mbl.local.LocalStack;
import dev.mbl.local.LocalTables;
import dev.mbl.tables.InvalidTablesException;
import dev.mbl.tables.TableSpec;
import dev.mbl.tables.TablesFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code mbl local up} answers besides AWS's APIs: {@code POST /tables} with
 * {@code {"file": "<tables file>", "names": [...]}} wires every table of the file that is not
 * wired yet (or only the named ones) into the running stack. The stack's state file
 * ({@link #STATE_FILE}) tells other commands where it and the edge endpoint listen.
 */
final class LocalControl implements AutoCloseable {
  /** Written by {@code mbl local up} while it runs, removed when it stops. */
  static final Path STATE_FILE = Path.of(".mbl", "local.json");

  private final ObjectMapper json = new ObjectMapper();
  private final LocalStack stack;
  private final HttpServer server;
  private volatile boolean wroteState;

  private LocalControl(LocalStack stack, HttpServer server) {
    this.stack = stack;
    this.server = server;
  }

  static LocalControl start(LocalStack stack) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
      LocalControl control = new LocalControl(stack, server);
      server.createContext("/tables", control::tables);
      server.start();
      return control;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local control endpoint: " + e.getMessage(), e);
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds the tables of {@code file} not wired yet (only {@code names} when not empty); returns their names. */
  synchronized List<String> addTables(Path file, Set<String> names) {
    List<TableSpec> tables = TablesFile.readLocal(file).tables();
    Set<String> missing = new HashSet<>(names);
    tables.forEach(t -> missing.remove(t.name()));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(file + " has no table named " + missing + "; fix: add its entry to the "
          + "file first (name, landing, config or config_file, ddl or ddl_file)");
    }
    List<String> added = new ArrayList<>();
    for (TableSpec table : tables) {
      boolean wanted = names.isEmpty() ? stack.table(table.name()).isEmpty() : names.contains(table.name());
      if (wanted) {
        LocalTables.add(stack, table);
        added.add(table.name() + " <- s3://" + LocalTables.landingBucket(table) + "/" + table.landing().prefix());
      }
    }
    return added;
  }

  /** Writes the state file other commands read to find this stack. */
  void writeState(Path tablesFile, Path log) throws IOException {
    var e = stack.endpoints();
    ObjectNode state = json.createObjectNode();
    state.put("edge", e.edge().toString());
    state.put("region", e.region());
    state.put("account", e.account());
    state.put("access_key_id", "local");
    state.put("secret_access_key", "local-secret");
    state.put("postgres", e.postgresJdbcUrl());
    state.put("control", endpoint().toString());
    state.put("tables_file", tablesFile.toAbsolutePath().normalize().toString());
    state.put("log", log.toAbsolutePath().toString());
    state.put("tracker_table", stack.settings().trackerTable());
    state.put("config_bucket", stack.settings().configBucket());
    Files.createDirectories(STATE_FILE.toAbsolutePath().getParent());
    Files.write(STATE_FILE, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
    wroteState = true;
  }

  @Override
  public void close() {
    server.stop(0);
    if (!wroteState) {
      return;
    }
    try {
      Files.deleteIfExists(STATE_FILE);
    } catch (IOException ignored) {
      // A stale state file names a closed port: add-table then says the stack is not running.
    }
  }

  private void tables(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status = 200;
      String answer;
      try {
        JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
        Set<String> names = new HashSet<>();
        request.path("names").forEach(n -> names.add(n.asText()));
        List<String> added = addTables(Path.of(request.path("file").asText()), names);
        answer = added.isEmpty() ? "no new table in the file: every table is wired already\n"
            : "added " + String.join("\n      ", added) + "\n";
      } catch (InvalidTablesException | IllegalArgumentException | IllegalStateException e) {
        status = 400;
        answer = e.getMessage() + "\n";
      }
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
