package dev.mbl.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in a child JVM whose class path is the shaded Lambda jar plus this class alone (ShadedJarIT
 * starts it): builds each handler as Lambda does, with its no-arg constructor and settings from the
 * environment, then invokes them on commands read from standard input, one per line:
 * {@code sqs [{"messageId","eventSourceArn","body"}...]}, {@code next <input>}, {@code bulk <input>},
 * {@code quit}. Answers one {@code DRIVER {...}} line per step, with the handler's answer and the step's
 * wall time (reported, never asserted). With {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} in its
 * environment the constructors prime as on Lambda ({@link Priming}). Only classes from the jar may be used here.
 */
public final class ShadedJarDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "DRIVER ";

  private ShadedJarDriver() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    long start = System.nanoTime();
    MicrobatchLoaderHandler microbatch = new MicrobatchLoaderHandler();
    report(out, "construct", "MicrobatchLoaderHandler", start, null);
    start = System.nanoTime();
    NextLoaderHandler next = new NextLoaderHandler();
    report(out, "construct", "NextLoaderHandler", start, null);
    start = System.nanoTime();
    BulkLoaderHandler bulk = new BulkLoaderHandler();
    report(out, "construct", "BulkLoaderHandler", start, null);

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      int space = line.indexOf(' ');
      String command = line.substring(0, space);
      String payload = line.substring(space + 1);
      start = System.nanoTime();
      try {
        JsonNode answer = switch (command) {
          case "sqs" -> JSON.valueToTree(microbatch.handleRequest(sqsEvent(payload), null));
          case "next" -> stream(next, payload);
          case "bulk" -> stream(bulk, payload);
          default -> throw new IllegalArgumentException("unknown command " + command);
        };
        report(out, command, null, start, answer);
      } catch (RuntimeException failed) {
        ObjectNode error = JSON.createObjectNode().put("error", failed.getClass().getName() + ": "
            + failed.getMessage());
        report(out, command, null, start, error);
      }
    }
  }

  /** The event as Lambda's runtime hands it over: records with id, source queue and body. */
  private static SQSEvent sqsEvent(String payload) throws java.io.IOException {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (JsonNode node : JSON.readTree(payload)) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(node.path("messageId").asText());
      record.setEventSourceArn(node.path("eventSourceArn").asText());
      record.setBody(node.path("body").asText());
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  private static JsonNode stream(RequestStreamHandler handler, String input) throws java.io.IOException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, null);
    return JSON.readTree(output.toByteArray());
  }

  private static void report(PrintStream out, String step, String handler, long start, JsonNode answer) {
    ObjectNode line = JSON.createObjectNode().put("step", step).put("ms", (System.nanoTime() - start) / 1_000_000);
    if (handler != null) {
      line.put("handler", handler);
    }
    if (answer != null) {
      line.set("answer", answer);
    }
    out.println(PREFIX + line);
    out.flush();
  }
}
