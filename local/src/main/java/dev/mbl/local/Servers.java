package dev.mbl.local;

import dev.mbl.local.dynamo.DynamoDbServer;
import dev.mbl.local.redshift.LocalPostgres;
import dev.mbl.local.s3.S3EventJson;
import dev.mbl.local.s3.S3Notifications;
import dev.mbl.local.s3.S3Server;
import dev.mbl.local.sqs.SqsServer;
import dev.mbl.log.JsonLog;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The four servers of the stack, started in parallel (PostgreSQL and ElasticMQ take the longest).
 *
 * @param postgres null when the stack runs without a warehouse
 */
record Servers(S3Server s3, SqsServer sqs, DynamoDbServer dynamo, LocalPostgres postgres,
    S3Notifications notifications) {
  /** The canonical id S3 reports as every local bucket's owner. */
  static final String OWNER_ID = "LOCALSTACKOWNER";

  /**
   * Starts every server; each one started is pushed on {@code closers}, so the caller can stop
   * them all when a later step fails.
   */
  static Servers start(LocalStackBuilder options, Deque<AutoCloseable> closers) {
    AtomicReference<SqsServer> sqsRef = new AtomicReference<>();
    S3Notifications notifications = new S3Notifications(
        new S3EventJson(options.region, "AWS:" + options.accessKey, OWNER_ID),
        (queueUrl, body) -> sqsRef.get().client().sendMessage(m -> m.queueUrl(queueUrl).messageBody(body)),
        options.clock, new JsonLog(options.out)::message);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService boot = Executors.newFixedThreadPool(4, r -> {
      Thread thread = new Thread(r, "mbl-local-boot-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      var sqs = async(boot, () -> SqsServer.start(options.region, options.account, LocalStack.credentials(options)));
      var s3 = async(boot, () -> S3Server.start(options.s3Directory, options.accessKey, options.secretKey,
          notifications));
      var dynamo = async(boot, DynamoDbServer::start);
      var postgres = options.warehouse ? async(boot, () -> LocalPostgres.start(options.postgresPort))
          : CompletableFuture.<LocalPostgres>completedFuture(null);
      RuntimeException failure = null;
      for (CompletableFuture<? extends AutoCloseable> server : java.util.List.of(s3, sqs, dynamo, postgres)) {
        try {
          AutoCloseable started = server.join();
          if (started != null) {
            closers.push(started);
          }
        } catch (CompletionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
              : new IllegalStateException(e.getCause());
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      sqsRef.set(sqs.join());
      return new Servers(s3.join(), sqs.join(), dynamo.join(), postgres.join(), notifications);
    } finally {
      boot.shutdown();
    }
  }

  private static <T> CompletableFuture<T> async(ExecutorService boot, Supplier<T> start) {
    return CompletableFuture.supplyAsync(start, boot);
  }
}
