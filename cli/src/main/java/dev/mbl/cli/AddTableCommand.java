package dev.mbl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mbl local add-table}: wire new tables of a tables file into the running {@code mbl local up}. */
@Command(name = "add-table", mixinStandardHelpOptions = true,
    description = {"Add tables to the running local stack: every table of the tables file that is not wired yet "
        + "(or only the NAMEs): its target table (ddl), queue and dead-letter queue, notification and config."})
final class AddTableCommand implements Callable<Integer> {
  @Option(names = "--tables", description = "The tables file (default: the one `mbl local up` was started with).")
  Path tables;

  @Parameters(arity = "0..*", paramLabel = "NAME", description = "Only these tables (their \"name\").")
  List<String> names = List.of();

  @Override
  public Integer call() throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    if (!Files.exists(LocalControl.STATE_FILE)) {
      System.err.println("no local stack is running here (" + LocalControl.STATE_FILE + " is missing); fix: start "
          + "one with ./mbl local up in this folder");
      return 1;
    }
    JsonNode state = json.readTree(LocalControl.STATE_FILE.toFile());
    Path file = tables != null ? tables.toAbsolutePath() : Path.of(state.path("tables_file").asText());
    ObjectNode request = json.createObjectNode();
    request.put("file", file.toString());
    names.forEach(request.putArray("names")::add);
    HttpResponse<String> answer;
    try {
      answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(state.path("control").asText()
          + "/tables")).POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException stale) {
      System.err.println("the local stack of " + LocalControl.STATE_FILE + " is not running; fix: ./mbl local up");
      return 1;
    }
    (answer.statusCode() == 200 ? System.out : System.err).print(answer.body());
    return answer.statusCode() == 200 ? 0 : 1;
  }
}
