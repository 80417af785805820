package dev.mbl.local;

import static dev.mbl.local.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Alone in its class: no other stack may start threads while this one counts them. */
class LocalStackShutdownIT {
  private static final String CONFIG = """
      {"copy": {"table_name": "public.clicks", "role_arn": "arn:aws:iam::123456789012:role/redshift-copy",
                "options": "FORMAT AS CSV IGNOREHEADER 1"},
       "cluster": {"identifier": "analytics", "db_name": "dev"}}
      """;

  @Test
  void close_afterWork_leavesNoThreadsProcessesOrPorts() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    long childrenBefore = ProcessHandle.current().descendants().count();
    LocalStack other = LocalStack.builder().pollWait(Duration.ofSeconds(1)).reconcileEvery(Duration.ofMillis(200))
        .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).start();
    Endpoints endpoints = other.endpoints();
    int postgresPort = other.postgres().orElseThrow().port();
    other.addTable("leak", CONFIG.getBytes(StandardCharsets.UTF_8), "leak-landing", "");
    other.s3().putObject(p -> p.bucket("leak-landing").key("x.csv"), RequestBody.fromString("id\n1\n"));
    await(Duration.ofSeconds(10), () -> other.nextLoader().invocations() >= 1);

    long start = System.nanoTime();
    other.close();
    Duration closing = Duration.ofNanos(System.nanoTime() - start);

    try {
      await(Duration.ofSeconds(10), () -> leftovers(before).isEmpty());
    } catch (AssertionError stillThere) {
      // Reported below, with the threads' names.
    }
    assertThat(leftovers(before)).isEmpty();
    assertThat(ProcessHandle.current().descendants().count()).isEqualTo(childrenBefore);
    for (int port : List.of(endpoints.s3().getPort(), endpoints.sqs().getPort(), endpoints.dynamoDb().getPort(),
        endpoints.redshiftData().getPort(), postgresPort)) {
      assertThat(listening(port)).as("port %d still open", port).isFalse();
    }
    assertThat(closing).isLessThan(Duration.ofSeconds(15));
    other.close(); // idempotent
  }

  /** Threads started since {@code before} that would keep the JVM alive, or that are ours, with where they are. */
  private static List<String> leftovers(Set<Thread> before) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().isAlive() && !before.contains(e.getKey()))
        .filter(e -> !e.getKey().isDaemon() || e.getKey().getName().startsWith("mbl-local-"))
        .map(e -> e.getKey().getName() + (e.getKey().isDaemon() ? " (daemon)" : "") + " at "
            + java.util.Arrays.stream(e.getValue()).limit(8).map(String::valueOf).toList()).toList();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

}
