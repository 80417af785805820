package dev.mbl.load;

import dev.mbl.config.ConfigRef;
import dev.mbl.config.QueueConfigLocator;
import dev.mbl.config.TableConfig;
import dev.mbl.event.ParsedMessage;
import dev.mbl.event.S3EventParser;
import dev.mbl.event.S3ObjectRef;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.util.Parallel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * MicrobatchLoader's work (rule 1): ledger every file of an SQS batch once, then try to start a
 * load for each table touched. A message fails (and SQS redelivers it, then dead-letters it) only
 * when its files could not be recorded; a load that cannot start now is left to the next event
 * or the reconciler, because its files are already safe in the ledger.
 */
public final class FileIntake {
  private static final Duration REGISTRATION_REFRESH = Duration.ofMinutes(5);
  private static final int MAX_REGISTRATIONS = 1_024;
  /** Ledger writes in flight at once for one SQS batch (each is one round trip to DynamoDB). */
  static final int PARALLEL_LEDGER = 16;

  private final DynamoDbTracker tracker;
  private final Function<ConfigRef, TableConfig> configs;
  private final QueueConfigLocator locator;
  private final S3EventParser parser;
  private final LoadCoordinator coordinator;
  /** Tables this instance registered recently: skips a registry write per message. Bounded. */
  private final Map<TableKey, Instant> registered = new HashMap<>();

  public FileIntake(DynamoDbTracker tracker, Function<ConfigRef, TableConfig> configs, QueueConfigLocator locator,
      S3EventParser parser, LoadCoordinator coordinator) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.configs = Objects.requireNonNull(configs, "configs");
    this.locator = Objects.requireNonNull(locator, "locator");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
  }

  /** The outcome of one SQS batch: failed message ids, per-message notes and protocol events. */
  public record Result(List<String> failedMessageIds, List<MessageNote> notes, List<LoadEvent> events,
      int filesNew, int filesDuplicate) {}

  /**
   * Why a message failed or what it skipped; {@code action} is the log line's action
   * ({@code message-failed}, {@code skipped}, or {@link #REFUSED} for a file outside the table's sources).
   */
  public record MessageNote(String messageId, String queue, boolean failed, String detail, String action) {
    public static final String REFUSED = "refused";

    public MessageNote(String messageId, String queue, boolean failed, String detail) {
      this(messageId, queue, failed, detail, failed ? "message-failed" : "skipped");
    }
  }

  /** One file of one message to ledger. */
  private record Ledgering(int message, TableKey table, S3ObjectRef object, ConfigRef config) {}

  /**
   * Reads every message first (config, parse, sources), then ledgers all their files at once,
   * {@link #PARALLEL_LEDGER} at a time: each file is one conditional write, so a burst is
   * recorded in round trips / {@value #PARALLEL_LEDGER}, not one after another.
   */
  public Result accept(List<QueueMessage> messages, Instant now) {
    List<List<MessageNote>> notesOf = new ArrayList<>();
    boolean[] failed = new boolean[messages.size()];
    List<Ledgering> files = new ArrayList<>();
    for (int m = 0; m < messages.size(); m++) {
      QueueMessage message = messages.get(m);
      String queue = queueName(message.eventSourceArn());
      List<MessageNote> notes = new ArrayList<>();
      notesOf.add(notes);
      try {
        ConfigRef ref = locator.forQueueArn(message.eventSourceArn());
        TableConfig config = configs.apply(ref);
        ParsedMessage parsed = parser.parse(message.body());
        TableKey table = TableKey.of(config);
        if (!parsed.objects().isEmpty()) {
          // Before ledgering: a crash after the ledger write must leave the table visible to the reconciler.
          registerIfStale(table, ref, now);
        }
        for (S3ObjectRef object : parsed.objects()) {
          if (!config.acceptsSource(object.bucket(), object.key())) {
            // Bad input, not a failure: retrying cannot make it right, so the message is consumed.
            notes.add(new MessageNote(message.messageId(), queue, false, "refused " + object.url() + ": not under "
                + "this table's sources " + config.sources() + "; it is never loaded into " + table + ". Fix: send "
                + "it to the queue of the table it belongs to, or add its prefix to options.sources",
                MessageNote.REFUSED));
            continue;
          }
          files.add(new Ledgering(m, table, object, ref));
        }
        parsed.ignored().forEach(reason -> notes.add(new MessageNote(message.messageId(), queue, false, reason)));
        if (parsed.objects().isEmpty() && parsed.ignored().isEmpty()) {
          // Consumed and deleted with nothing to load: still one line, so no message vanishes unseen.
          notes.add(new MessageNote(message.messageId(), queue, false,
              "the message names no object (an empty Records array): nothing to load"));
        }
      } catch (RuntimeException e) {
        failed[m] = true;
        notes.add(new MessageNote(message.messageId(), queue, true, e.getMessage()));
      }
    }
    List<Parallel.Outcome<Boolean>> outcomes = Parallel.map(files, PARALLEL_LEDGER, "mbl-ledger",
        file -> tracker.ledger(file.table(), file.object(), file.config(), now, false));
    int fresh = 0;
    int duplicates = 0;
    Set<TableKey> order = new LinkedHashSet<>();
    for (int i = 0; i < files.size(); i++) {
      Ledgering file = files.get(i);
      QueueMessage message = messages.get(file.message());
      Parallel.Outcome<Boolean> outcome = outcomes.get(i);
      if (outcome.failed()) {
        // The message is redelivered whole; its files already ledgered are duplicates then.
        if (!failed[file.message()]) {
          failed[file.message()] = true;
          notesOf.get(file.message()).add(new MessageNote(message.messageId(), queueName(message.eventSourceArn()),
              true, outcome.error().getMessage()));
        }
        continue;
      }
      order.add(file.table());
      if (outcome.value()) {
        fresh++;
      } else {
        duplicates++;
        notesOf.get(file.message()).add(new MessageNote(message.messageId(), queueName(message.eventSourceArn()),
            false, "duplicate of an already ledgered file: " + file.object().url()));
      }
    }
    List<String> failedIds = new ArrayList<>();
    List<MessageNote> notes = new ArrayList<>();
    for (int m = 0; m < messages.size(); m++) {
      if (failed[m]) {
        failedIds.add(messages.get(m).messageId());
      }
      notes.addAll(notesOf.get(m));
    }
    List<LoadEvent> events = new ArrayList<>();
    for (TableKey table : order) {
      events.addAll(coordinator.start(table, now));
    }
    return new Result(failedIds, notes, events, fresh, duplicates);
  }

  private void registerIfStale(TableKey table, ConfigRef ref, Instant now) {
    synchronized (registered) {
      Instant last = registered.get(table);
      if (last != null && now.isBefore(last.plus(REGISTRATION_REFRESH))) {
        return;
      }
    }
    tracker.register(table, ref, now);
    synchronized (registered) {
      if (registered.size() >= MAX_REGISTRATIONS) {
        registered.clear();
      }
      registered.put(table, now);
    }
  }

  private static String queueName(String arn) {
    if (arn == null) {
      return null;
    }
    int colon = arn.lastIndexOf(':');
    return colon < 0 ? arn : arn.substring(colon + 1);
  }
}
