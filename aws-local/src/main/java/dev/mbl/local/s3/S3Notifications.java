package dev.mbl.local.s3;

import dev.mbl.local.logging.StandInLog;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notification configurations of every local bucket and their delivery: each created object
 * is reported, in S3's JSON shape, to every queue whose rule matches its bucket and key. Like S3,
 * delivery is best effort: a failed send is logged, never fails the write. Thread-safe.
 */
public final class S3Notifications {
  private static final String FUNCTION = "S3";
  private final List<NotificationRule> rules = new CopyOnWriteArrayList<>();
  private final S3EventJson json;
  private final NotificationSender sender;
  private final Clock clock;
  private final StandInLog log;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong sequencer;
  private final AtomicLong sent = new AtomicLong();

  /**
   * @param json writes the notification bodies
   * @param sender delivers them
   * @param clock stamps {@code eventTime}
   * @param log receives one line per failed delivery
   */
  public S3Notifications(S3EventJson json, NotificationSender sender, Clock clock, StandInLog log) {
    this.json = Objects.requireNonNull(json, "json");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.log = Objects.requireNonNull(log, "log");
    // Starts from the clock so sequencers keep rising across restarts of a filesystem-backed store.
    this.sequencer = new AtomicLong(clock.millis() * 1_000_000L);
  }

  /** Notifications of a bucket store nobody subscribes to: adding a rule is refused. */
  public static S3Notifications none() {
    return new S3Notifications(new S3EventJson("us-east-1", "AWS:local", "LOCAL"), (queueUrl, body) -> {
      throw new IllegalStateException("this S3 sends no notifications");
    }, Clock.systemUTC(), StandInLog.discard());
  }

  public void add(NotificationRule rule) {
    rules.add(Objects.requireNonNull(rule, "rule"));
  }

  /** Removes every rule of {@code bucket} that sends to {@code queueUrl}. */
  public void remove(String bucket, String queueUrl) {
    rules.removeIf(r -> r.bucket().equals(bucket) && r.queueUrl().equals(queueUrl));
  }

  public List<NotificationRule> rules() {
    return List.copyOf(rules);
  }

  /** Notifications delivered so far. */
  public long sent() {
    return sent.get();
  }

  /** Sends S3's {@code s3:TestEvent} to the rule's queue, as S3 does when a configuration is saved. */
  public void sendTestEvent(NotificationRule rule) {
    deliver(rule.queueUrl(), json.testEvent(rule.bucket(), clock.instant(), requestId(), hostId()), rule.bucket());
  }

  /** Reports one stored object to every matching queue; call only once the object is stored. */
  public void objectCreated(String eventName, String bucket, String key, long size, String eTag) {
    ObjectCreated object = null;
    for (NotificationRule rule : rules) {
      if (!rule.matches(bucket, key)) {
        continue;
      }
      if (object == null) {
        object = new ObjectCreated(eventName, bucket, key, size, eTag, clock.instant(),
            String.format("%018X", sequencer.incrementAndGet()));
      }
      deliver(rule.queueUrl(), json.notification(object, rule.id(), requestId(), hostId()), bucket + "/" + key);
    }
  }

  private void deliver(String queueUrl, String body, String subject) {
    try {
      sender.send(queueUrl, body);
      sent.incrementAndGet();
    } catch (RuntimeException e) {
      log.message(FUNCTION, "ERROR", "notification-failed", queueUrl, null,
          "the notification for " + subject + " was not delivered: " + e, clock.instant());
    }
  }

  private String requestId() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }

  private String hostId() {
    byte[] bytes = new byte[48];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
