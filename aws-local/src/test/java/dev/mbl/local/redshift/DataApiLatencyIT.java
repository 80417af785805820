package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.local.Eventually;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.latency.LatencyProfile;
import dev.mbl.local.latency.RecordedPauses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;

/**
 * The emulator on the realistic latency profile, its pauses recorded instead of slept: each call
 * answers a round trip late, a statement queues while PICKED and pays its COPYs' and its
 * transaction's costs while STARTED ("DescribeStatement": Duration covers the run), and the fast
 * profile asks for no pause at all.
 */
class DataApiLatencyIT {
  private static final long MIB = 1024 * 1024;
  private static final LatencyProfile REALISTIC = LatencyProfile.REALISTIC;
  private static final RecordedPauses PAUSES = new RecordedPauses();
  private static EmulatorFixture fixture;

  @BeforeAll
  static void start() {
    fixture = EmulatorFixture.start(new Latency(REALISTIC, PAUSES));
    fixture.execute("CREATE TABLE wide_t (v VARCHAR(65535))");
    // 16 lines of 65,535 characters and a newline: exactly 1 MiB of CSV.
    String line = "x".repeat(65_535) + "\n";
    fixture.put("mib/part.csv", line.repeat(16));
    fixture.manifest("mib/load.manifest", "mib/part.csv");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @AfterEach
  void unhook() {
    PAUSES.hook(null);
  }

  @Test
  void copy_oneMiBOnRealisticProfile_asksForQueueingCopyPlusOneMiBScanAndTransaction() {
    PAUSES.clear();

    DescribeStatementResponse done = fixture.batch(copySql(), "SELECT 1");

    assertThat(done.statusAsString()).isEqualTo("FINISHED");
    assertThat(PAUSES.requestedExcept(REALISTIC.dataApiRequest())).containsExactly(REALISTIC.queueing(),
        REALISTIC.copy().plus(REALISTIC.scanPerMb()), REALISTIC.transaction());
    // BatchExecuteStatement and every DescribeStatement poll answered a round trip late.
    assertThat(PAUSES.requested()).filteredOn(REALISTIC.dataApiRequest()::equals).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void statement_realisticProfile_queuesWhilePickedAndPaysItsCostsWhileStarted() throws Exception {
    BlockingQueue<Duration> held = new LinkedBlockingQueue<>();
    BlockingQueue<CountDownLatch> releases = new LinkedBlockingQueue<>();
    PAUSES.hook(duration -> {
      if (!duration.equals(REALISTIC.dataApiRequest())) {
        CountDownLatch release = new CountDownLatch(1);
        releases.add(release);
        held.add(duration);
        awaitQuietly(release);
      }
    });
    String id = fixture.data().batchExecuteStatement(b -> b.clusterIdentifier(EmulatorFixture.CLUSTER)
        .database(EmulatorFixture.DATABASE).sqls(copySql())).id();

    List<String> statusWhileHeld = new ArrayList<>();
    for (Duration expected : List.of(REALISTIC.queueing(), REALISTIC.copy().plus(REALISTIC.scanPerMb()),
        REALISTIC.transaction())) {
      assertThat(held.poll(10, TimeUnit.SECONDS)).isEqualTo(expected);
      statusWhileHeld.add(fixture.data().describeStatement(d -> d.id(id)).statusAsString());
      releases.take().countDown();
    }
    DescribeStatementResponse done = fixture.await(id);

    assertThat(statusWhileHeld).containsExactly("PICKED", "STARTED", "STARTED");
    assertThat(done.statusAsString()).isEqualTo("FINISHED");
  }

  @Test
  void requests_manyAnswersPausedAtOnce_noneWaitsForAnother() throws Exception {
    int requests = 6; // more than the fast profile's 4 HTTP threads
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger paused = new AtomicInteger();
    PAUSES.hook(duration -> {
      paused.incrementAndGet();
      awaitQuietly(release);
    });
    ExecutorService callers = Executors.newFixedThreadPool(requests);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        calls.add(callers.submit(() -> fixture.data().listStatements(l -> l.maxResults(1))));
      }

      Eventually.await(Duration.ofSeconds(20), () -> paused.get() >= requests);
      release.countDown();
      for (Future<?> call : calls) {
        call.get(20, TimeUnit.SECONDS);
      }
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
  }

  @Test
  void copy_fastProfile_asksForNoPause() {
    RecordedPauses none = new RecordedPauses();
    try (EmulatorFixture fast = EmulatorFixture.start(new Latency(LatencyProfile.FAST, none))) {
      fast.execute("CREATE TABLE small_t (n INT)");
      fast.put("small/1.csv", "1\n2\n");

      DescribeStatementResponse done = fast.batch("COPY small_t FROM 's3://data/small/1.csv' IAM_ROLE default CSV",
          "SELECT count(*) FROM small_t");

      assertThat(done.statusAsString()).isEqualTo("FINISHED");
      assertThat(none.requested()).isEmpty();
    }
  }

  private static String copySql() {
    return "COPY wide_t FROM 's3://" + EmulatorFixture.BUCKET + "/mib/load.manifest' IAM_ROLE default MANIFEST CSV";
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
