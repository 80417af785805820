package dev.mbl.local.events;

import static dev.mbl.local.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mbl.local.RecordingLog;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.latency.LatencyProfile;
import dev.mbl.local.latency.RecordedPauses;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBusIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordingLog log = new RecordingLog();
  private final EventBus bus = new EventBus(log, Clock.systemUTC());
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    bus.close();
  }

  @Test
  void publish_dataApiCompletionRule_onlyTerminalEventsOfOurStatementsDelivered() throws Exception {
    bus.addRule("next-loader", EventPattern.dataApiCompletion("mbl/"), delivered::add);
    String finished = finished().toString();
    String failed = with(finished(), "state", "FAILED");
    String aborted = with(finished(), "state", "ABORTED");
    String started = with(finished(), "state", "STARTED");
    String foreign = with(finished(), "statementName", "etl/nightly/1");
    String lookalike = with(finished(), "statementName", "mbl-other/x"); // "mbl" but not the "mbl/" prefix
    ObjectNode unnamed = finished();
    ((ObjectNode) unnamed.get("detail")).remove("statementName");
    ObjectNode otherSource = finished();
    otherSource.put("source", "aws.events");

    for (String event : List.of(finished, started, failed, foreign, lookalike, unnamed.toString(),
        otherSource.toString(), aborted, "not json")) {
      bus.statusEvents().accept(event);
    }
    bus.close(); // drains

    assertThat(delivered).containsExactly(finished, failed, aborted);
    assertThat(bus.published()).isEqualTo(9);
    assertThat(bus.delivered()).isEqualTo(3);
    assertThat(log.actions()).contains("event-rejected");
  }

  @Test
  void publish_targetBusy_returnsBeforeDelivery() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    bus.addRule("slow", EventPattern.dataApiCompletion("mbl/"), json -> {
      awaitLatch(release);
      delivered.add(json);
    });

    long start = System.nanoTime();
    bus.publish(finished().toString());
    long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(delivered).isEmpty();
    release.countDown();
    await(Duration.ofSeconds(5), () -> delivered.size() == 1);
    assertThat(publishMillis).isLessThan(1_000);
  }

  @Test
  void dropMatching_on_matchingEventsDroppedUntilSwitchedOff() throws Exception {
    List<String> all = new CopyOnWriteArrayList<>();
    bus.addRule("next-loader", EventPattern.dataApiCompletion("mbl/"), delivered::add);
    bus.addRule("everything", new EventPattern(null, null, null, null), all::add);

    bus.dropMatching(true);
    bus.publish(finished().toString());
    await(Duration.ofSeconds(5), () -> bus.dropped() == 1);
    bus.dropMatching(false);
    bus.publish(with(finished(), "statementId", "second"));
    await(Duration.ofSeconds(5), () -> delivered.size() == 1);

    assertThat(delivered).singleElement().asString().contains("second");
    assertThat(all).hasSize(1); // a dropped event is lost for every rule, as a lost EventBridge event is
    assertThat(log.actions()).contains("event-dropped");
  }

  @Test
  void dropNext_one_firstMatchingDroppedThenDelivered() throws Exception {
    bus.addRule("next-loader", EventPattern.dataApiCompletion("mbl/"), delivered::add);
    bus.dropNext(1);

    bus.publish(with(finished(), "statementName", "etl/x")); // not matching: neither dropped nor delivered
    bus.publish(with(finished(), "statementId", "lost"));
    bus.publish(with(finished(), "statementId", "kept"));
    bus.close();

    assertThat(bus.dropped()).isEqualTo(1);
    assertThat(delivered).singleElement().asString().contains("kept");
  }

  @Test
  void publish_eventDeliveryLatency_noEventDeliveredBeforeItsPauseThenAllInPublicationOrder() throws Exception {
    RecordedPauses pauses = new RecordedPauses();
    CountDownLatch release = new CountDownLatch(1);
    pauses.hook(duration -> awaitLatch(release));
    Duration delay = LatencyProfile.REALISTIC.eventDelivery();
    List<String> events = List.of(with(finished(), "statementId", "1"), with(finished(), "statementId", "2"),
        with(finished(), "statementId", "3"));
    try (EventBus slow = new EventBus(log, Clock.systemUTC(), new Latency(LatencyProfile.REALISTIC, pauses))) {
      slow.addRule("next-loader", EventPattern.dataApiCompletion("mbl/"), delivered::add);

      events.forEach(slow::publish);
      await(Duration.ofSeconds(5), () -> pauses.requested().size() == 3);
      List<String> deliveredWhilePaused = List.copyOf(delivered);
      release.countDown();
      slow.close(); // drains

      assertThat(deliveredWhilePaused).isEmpty();
      assertThat(pauses.requested()).containsExactly(delay, delay, delay);
      assertThat(delivered).containsExactlyElementsOf(events);
    }
  }

  @Test
  void publish_fastProfile_asksForNoPause() throws Exception {
    RecordedPauses pauses = new RecordedPauses();
    try (EventBus fast = new EventBus(log, Clock.systemUTC(), new Latency(LatencyProfile.FAST, pauses))) {
      fast.addRule("next-loader", EventPattern.dataApiCompletion("mbl/"), delivered::add);

      fast.publish(finished().toString());
      fast.close();

      assertThat(delivered).hasSize(1);
      assertThat(pauses.requested()).isEmpty();
    }
  }

  private static ObjectNode finished() throws Exception {
    try (InputStream in = EventBusIT.class.getClassLoader().getResourceAsStream("events/redshift-data-finished.json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  private static String with(ObjectNode event, String detailField, String value) {
    ((ObjectNode) event.get("detail")).put(detailField, value);
    return event.toString();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
