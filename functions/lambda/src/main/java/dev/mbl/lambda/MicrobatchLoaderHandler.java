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

  public MicrobatchLoaderHandler() {
    this(Wiring.fromEnvironment());
  }

  /** With collaborators built elsewhere: the local runtime and tests. */
  public MicrobatchLoaderHandler(Components components) {
    this.components = components;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Instant now = components.clock().instant();
    List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
    List<QueueMessage> messages = records.stream()
        .map(m -> new QueueMessage(m.getMessageId(), m.getEventSourceArn(), m.getBody())).toList();
    FileIntake.Result result = components.intake().accept(messages, now);
    for (FileIntake.MessageNote note : result.notes()) {
      String level = note.failed() ? "ERROR" : FileIntake.MessageNote.REFUSED.equals(note.action()) ? "WARN" : "INFO";
      components.log().message(NAME, level, note.action(), note.queue(), note.messageId(), note.detail(), now);
    }
    for (LoadEvent loadEvent : result.events()) {
      components.log().event(NAME, loadEvent, now);
    }
    return SQSBatchResponse.builder().withBatchItemFailures(result.failedMessageIds().stream()
        .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build()).toList()).build();
  }
}
