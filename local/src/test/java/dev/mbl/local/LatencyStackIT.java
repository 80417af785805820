package dev.mbl.local;

import static dev.mbl.local.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.local.latency.LatencyProfile;
import dev.mbl.local.latency.RecordedPauses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The latency profile across the whole stack, its pauses recorded: every figure is paid where it
 * belongs, the handlers' S3 and DynamoDB requests each pay one round trip beneath the caller's
 * own client wrap, and the fast profile asks for no pause at all.
 */
class LatencyStackIT {
  private static final String CONFIG = """
      {"copy": {"table_name": "public.visits", "role_arn": "arn:aws:iam::123456789012:role/redshift-copy",
                "options": "FORMAT AS CSV IGNOREHEADER 1"},
       "cluster": {"identifier": "analytics", "db_name": "dev"},
       "options": {"merge_duplicate_pks": false}}
      """;
  /** Every figure different, so each recorded pause says which cost it was. */
  private static final LatencyProfile DISTINCT = new LatencyProfile("distinct", Duration.ofMillis(2),
      Duration.ofMillis(3), Duration.ofMillis(5), Duration.ofMillis(11), Duration.ZERO, Duration.ofMillis(17),
      Duration.ofMillis(7), Duration.ofMillis(13), Duration.ofMillis(19));
  private static final Set<String> NOT_REQUESTS = Set.of("close", "serviceName", "serviceClientConfiguration",
      "utilities", "waiter");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Test
  void load_distinctProfile_everyCostPaidAndEachHandlerRequestPaysOneRoundTripBeneathTheCallersWrap()
      throws Exception {
    RecordedPauses pauses = new RecordedPauses();
    AtomicInteger dynamoCalls = new AtomicInteger();
    AtomicInteger s3Calls = new AtomicInteger();
    try (LocalStack stack = builder().latency(DISTINCT, pauses)
        .handlerClients(clients -> clients.wrapped(s3 -> counting(S3Client.class, s3, s3Calls),
            dynamo -> counting(DynamoDbClient.class, dynamo, dynamoCalls), data -> data)).start()) {
      loadOneFile(stack);
      stack.close(); // no handler call is half way between the two counts

      assertThat(dynamoCalls).hasPositiveValue();
      assertThat(s3Calls).hasPositiveValue();
      assertThat(pauses.requested()).filteredOn(DISTINCT.dynamoRequest()::equals).hasSize(dynamoCalls.get());
      assertThat(pauses.requested()).filteredOn(DISTINCT.s3Request()::equals).hasSize(s3Calls.get());
      assertThat(pauses.requested()).contains(DISTINCT.dataApiRequest(), DISTINCT.queueing(), DISTINCT.copy(),
          DISTINCT.transaction(), DISTINCT.eventDelivery(), DISTINCT.sqsReceive());
    }
  }

  @Test
  void load_fastProfile_asksForNoPause() throws Exception {
    RecordedPauses pauses = new RecordedPauses();
    try (LocalStack stack = builder().latency(LatencyProfile.FAST, pauses).start()) {
      loadOneFile(stack);

      assertThat(pauses.requested()).isEmpty();
    }
  }

  @Test
  void slowedS3_paginator_eachPageIsARequestThatPays() {
    try (LocalStack stack = builder().warehouse(false).start()) {
      stack.s3().createBucket(c -> c.bucket("pages"));
      for (String key : new String[] {"p/1", "p/2", "p/3"}) {
        stack.s3().putObject(p -> p.bucket("pages").key(key), RequestBody.fromString(key));
      }
      AtomicInteger roundTrips = new AtomicInteger();
      S3Client slowed = LatentClients.slowed(S3Client.class, stack.s3(), roundTrips::incrementAndGet);

      int pages = 0;
      for (ListObjectsV2Response page : slowed.listObjectsV2Paginator(l -> l.bucket("pages").prefix("p/").maxKeys(1))) {
        pages += page.keyCount() > 0 ? 1 : 0;
      }

      assertThat(pages).isEqualTo(3);
      assertThat(roundTrips.get()).isGreaterThanOrEqualTo(3);
      assertThat(slowed.serviceName()).isEqualTo("s3");
      assertThat(roundTrips.get()).isLessThanOrEqualTo(4); // serviceName() sent nothing
    }
  }

  private LocalStackBuilder builder() {
    return LocalStack.builder().pollWait(Duration.ofSeconds(1)).reconcileEvery(Duration.ZERO)
        .out(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private static void loadOneFile(LocalStack stack) throws Exception {
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection()) {
      connection.createStatement().execute("create table public.visits (id int, url varchar(100))");
    }
    stack.addTable("visits", CONFIG.getBytes(StandardCharsets.UTF_8), "landing", "visits/");
    stack.s3().putObject(p -> p.bucket("landing").key("visits/1.csv"),
        RequestBody.fromString("id,url\n1,/home\n2,/cart\n"));
    await(Duration.ofSeconds(30), () -> count(stack) == 2 && stack.nextLoader().invocations() >= 1);
  }

  private static int count(LocalStack stack) throws Exception {
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection();
        ResultSet rows = connection.createStatement().executeQuery("select count(*) from public.visits")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  /** The caller's own wrap (as the bench's request counting): counts each request it is handed. */
  private static <T> T counting(Class<T> type, T next, AtomicInteger calls) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (method.getDeclaringClass() != Object.class && !NOT_REQUESTS.contains(method.getName())) {
        calls.incrementAndGet();
      }
      try {
        return method.invoke(next, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }
}
