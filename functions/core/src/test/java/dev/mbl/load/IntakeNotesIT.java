package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.testing.LoadHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every consumed message leaves a note (a log line), even one with nothing to load; a file from
 * outside the table's configured sources is refused and never ledgered.
 */
class IntakeNotesIT {
  private static final String SOURCED_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:sourced-queue";

  private final LoadHarness h = new LoadHarness();

  @Test
  void accept_fileOutsideTheTablesSources_refusedWithANoteAndNeverLoaded() {
    LoadHarness.s3().put(LoadHarness.CONFIG_BUCKET, "config/sourced-queue.json", LoadHarness.CONFIG_JSON
        .replace("\"options\":{", "\"options\":{\"sources\":[\"s3://" + LoadHarness.LANDING_BUCKET + "/orders/\"],")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    S3ObjectRef inside = h.upload(null);
    S3ObjectRef otherBucket = new S3ObjectRef("elsewhere", "orders/x.csv", 4, "e1", null, null);
    S3ObjectRef otherPrefix = new S3ObjectRef(LoadHarness.LANDING_BUCKET, "clicks/y.csv", 4, "e2", null, null);
    QueueMessage message = h.message("m-mixed", inside, otherBucket, otherPrefix);

    FileIntake.Result result = h.intake(h.coordinator()).accept(List.of(new QueueMessage(message.messageId(),
        SOURCED_QUEUE_ARN, message.body())), h.now());
    h.drain(h.coordinator());

    assertThat(result.failedMessageIds()).as("bad input is consumed, not retried").isEmpty();
    assertThat(result.filesNew()).isEqualTo(1);
    assertThat(result.notes()).hasSize(2).allSatisfy(note -> {
      assertThat(note.action()).isEqualTo(FileIntake.MessageNote.REFUSED);
      assertThat(note.detail()).contains("not under this table's sources [s3://" + LoadHarness.LANDING_BUCKET
          + "/orders/]", "options.sources");
    });
    assertThat(result.notes().get(0).detail()).contains("s3://elsewhere/orders/x.csv");
    assertThat(result.notes().get(1).detail()).contains("clicks/y.csv");
    assertThat(h.tracker.ledgerEntries(LoadHarness.TABLE)).singleElement()
        .satisfies(e -> assertThat(e.key()).isEqualTo(inside.key()));
    assertThat(h.api.loadedLines()).noneMatch(l -> l.startsWith("x,"));
  }

  @Test
  void accept_emptyRecordsArray_consumesTheMessageWithANote() {
    FileIntake.Result result = h.intake(h.coordinator())
        .accept(List.of(new QueueMessage("m-empty", LoadHarness.QUEUE_ARN, "{\"Records\":[]}")), h.now());

    assertThat(result.failedMessageIds()).isEmpty();
    assertThat(result.notes()).singleElement().satisfies(note -> {
      assertThat(note.messageId()).isEqualTo("m-empty");
      assertThat(note.failed()).isFalse();
      assertThat(note.detail()).contains("empty Records array");
    });
    assertThat(h.tracker.work(LoadHarness.TABLE)).isEmpty();
  }

  @Test
  void accept_oneFileOfAMessageFailsToLedger_failsThatMessageOnlyAndItsRedeliveryLoadsEveryFileOnce() {
    List<S3ObjectRef> first = h.upload(12);
    List<S3ObjectRef> second = h.upload(3);
    String unlucky = first.get(5).key();
    dev.mbl.tracker.DynamoDbTracker tracker = org.mockito.Mockito.spy(h.tracker);
    java.util.concurrent.atomic.AtomicBoolean failedOnce = new java.util.concurrent.atomic.AtomicBoolean();
    org.mockito.Mockito.doAnswer(invocation -> {
      if (invocation.<S3ObjectRef>getArgument(1).key().equals(unlucky) && failedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("DynamoDB: throughput exceeded");
      }
      return invocation.callRealMethod();
    }).when(tracker).ledger(org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
        org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
        org.mockito.ArgumentMatchers.anyBoolean());
    FileIntake intake = new FileIntake(tracker, h.configs::load,
        new dev.mbl.config.QueueConfigLocator(LoadHarness.CONFIG_BUCKET, "config/"),
        dev.mbl.event.S3EventParser.create(), h.coordinator());
    QueueMessage m1 = h.message("m1", first.toArray(S3ObjectRef[]::new));
    QueueMessage m2 = h.message("m2", second.toArray(S3ObjectRef[]::new));

    FileIntake.Result result = intake.accept(List.of(m1, m2), h.now());

    assertThat(result.failedMessageIds()).containsExactly("m1");
    assertThat(result.notes()).filteredOn(FileIntake.MessageNote::failed).singleElement()
        .satisfies(note -> assertThat(note.detail()).contains("throughput exceeded"));
    assertThat(result.filesNew()).as("the message's other files and the next message's are ledgered").isEqualTo(14);

    FileIntake.Result redelivery = intake.accept(List.of(m1), h.now());
    h.drain(h.coordinator());

    assertThat(redelivery.failedMessageIds()).isEmpty();
    assertThat(redelivery.filesNew()).isEqualTo(1);
    assertThat(redelivery.filesDuplicate()).isEqualTo(11);
    h.assertInvariant();
    assertThat(h.tracker.ledgerEntries(LoadHarness.TABLE)).hasSize(15);
  }
}
