package dev.mbl.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mbl.app.Components;
import dev.mbl.load.FileIntake;
import dev.mbl.load.LoadEvent;
import dev.mbl.load.QueueMessage;
import java.time.Instant;
import java.util.List;

/**
 * SQS (S3 ObjectCreated notifications) -> ledger each file once, start a load per table. Returns
 * exactly the failed messages as batch item failures (the event source mapping must report them).
 */
public final class MicrobatchLoaderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  static final String NAME = "MicrobatchLoader";
  private final Components components;

  /** Lambda's: settings from the environment; on SnapStart also primes the first invocation. */
  public MicrobatchLoaderHandler() {
    this(Wiring.fromEnvironment(NAME));
  }

  /** With collaborators built elsewhere: the local runtime and tests. */
  public MicrobatchLoaderHandler(Components components) {
    this.components = components;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Instant now = components.clock().instant();
    FileIntake.Result result = components.intake().accept(messages(event), now);
    for (FileIntake.MessageNote note : result.notes()) {
      String level = note.failed() ? "ERROR" : FileIntake.MessageNote.REFUSED.equals(note.action()) ? "WARN" : "INFO";
      components.log().message(NAME, level, note.action(), note.queue(), note.messageId(), note.detail(), now);
    }
    for (LoadEvent loadEvent : result.events()) {
      components.log().event(NAME, loadEvent, now);
    }
    return response(result.failedMessageIds());
  }

  /** The event's records as the intake takes them (also what {@link Priming} loads). */
  static List<QueueMessage> messages(SQSEvent event) {
    List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
    return records.stream().map(m -> new QueueMessage(m.getMessageId(), m.getEventSourceArn(), m.getBody())).toList();
  }

  /** Exactly the failed messages as batch item failures. */
  static SQSBatchResponse response(List<String> failedMessageIds) {
    return SQSBatchResponse.builder().withBatchItemFailures(failedMessageIds.stream()
        .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build()).toList()).build();
  }
}
