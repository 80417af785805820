package dev.mbl.load;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.tracker.Supersession;
import dev.mbl.tracker.TrackerItems;
import dev.mbl.tracker.WorkItem;
import dev.mbl.util.Parallel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits the files a starter took into those whose version is still the object under their key
 * and those that were overwritten or deleted (docs/protocol.md, section 6a). A file without an
 * eTag token cannot be compared and stays. Many files of one bucket are looked up with one
 * listing of their key range, the rest with HeadObject requests in parallel (the start lease must
 * cover them all); a file S3 did not answer for is left out of this batch and stays pending.
 */
final class VersionCheck {
  private static final String ETAG = "e:";
  /** Concurrent HeadObject requests of one start: 1,000 files take about 1,000 / 16 round trips. */
  static final int PARALLEL_HEADS = 16;
  /** From this many checkable files in one bucket a start lists their key range instead. */
  static final int LIST_AT_LEAST = 8;

  /**
   * @param unanswered files left pending because S3 did not answer (they wait for a later batch)
   * @param firstError the first such failure's message; null when none
   */
  record Split(List<WorkItem> current, List<Supersession> superseded, List<Supersession> vanished,
      List<WorkItem> unanswered, String firstError) {}

  /** Marks a deleted object's answer apart from "current" (its supersededBy is unused). */
  private static final String GONE = "gone";

  private VersionCheck() {}

  static Split split(List<WorkItem> taken, ObjectVersions versions) {
    Map<WorkItem, Optional<String>> listed = listed(taken, versions);
    List<Parallel.Outcome<Optional<Supersession>>> answers = Parallel.map(taken, PARALLEL_HEADS, "mbl-head-object",
        item -> listed.containsKey(item) ? answer(item, listed.get(item), "S3 ListObjectsV2: not listed")
            : answer(item, versions));
    List<WorkItem> current = new ArrayList<>();
    List<Supersession> superseded = new ArrayList<>();
    List<Supersession> vanished = new ArrayList<>();
    List<WorkItem> unanswered = new ArrayList<>();
    String firstError = null;
    for (int i = 0; i < taken.size(); i++) {
      Parallel.Outcome<Optional<Supersession>> outcome = answers.get(i);
      if (outcome.failed()) {
        unanswered.add(taken.get(i));
        firstError = firstError != null ? firstError : String.valueOf(outcome.error());
        continue;
      }
      Optional<Supersession> answer = outcome.value();
      if (answer.isPresent() && answer.get().supersededBy().equals(GONE)) {
        vanished.add(answer.get());
      } else if (answer.isPresent()) {
        superseded.add(answer.get());
      } else {
        current.add(taken.get(i));
      }
    }
    return new Split(current, superseded, vanished, unanswered, firstError);
  }

  /**
   * The current eTag (empty: no object) of each checkable file S3 answered for in a listing: per
   * bucket with at least {@link #LIST_AT_LEAST} such files, one ListObjectsV2 under their common
   * prefix from the first key to the last (1,000 keys per request) instead of a HeadObject each.
   * Files the listing did not cover (it was refused, or the key range holds more than
   * {@code 2 + n / 500} pages of other objects) are asked with HeadObject.
   */
  private static Map<WorkItem, Optional<String>> listed(List<WorkItem> taken, ObjectVersions versions) {
    Map<String, List<WorkItem>> byBucket = new HashMap<>();
    for (WorkItem item : taken) {
      if (item.versionToken() != null && item.versionToken().startsWith(ETAG)) {
        byBucket.computeIfAbsent(item.bucket(), b -> new ArrayList<>()).add(item);
      }
    }
    Map<WorkItem, Optional<String>> result = new HashMap<>();
    for (Map.Entry<String, List<WorkItem>> bucket : byBucket.entrySet()) {
      List<WorkItem> items = bucket.getValue();
      if (items.size() < LIST_AT_LEAST) {
        continue;
      }
      List<String> keys = items.stream().map(WorkItem::key).sorted(ObjectVersions::compareUtf8).toList();
      String first = keys.get(0);
      String last = keys.get(keys.size() - 1);
      Optional<ObjectVersions.Listing> listing = versions.list(bucket.getKey(), commonPrefix(first, last), first,
          last, 2 + items.size() / 500);
      listing.ifPresent(l -> items.stream().filter(i -> l.covers(i.key()))
          .forEach(i -> result.put(i, Optional.ofNullable(l.eTags().get(i.key())))));
    }
    return result;
  }

  /** The longest common prefix of two strings, never splitting a character. */
  static String commonPrefix(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.codePointAt(i) == b.codePointAt(i)) {
      i += Character.charCount(a.codePointAt(i));
    }
    return a.substring(0, i);
  }

  /** As {@link #replaced}, plus a deleted object (checked files only) as a supersession by {@link #GONE}. */
  private static Optional<Supersession> answer(WorkItem item, ObjectVersions versions) {
    String token = item.versionToken();
    if (token == null || !token.startsWith(ETAG)) {
      return Optional.empty();
    }
    return answer(item, versions.currentETag(item.bucket(), item.key()), "S3 HeadObject: 404");
  }

  /** The answer for a checkable file from S3's current eTag under its key (empty: no object). */
  private static Optional<Supersession> answer(WorkItem item, Optional<String> now, String howGone) {
    String token = item.versionToken();
    if (now.isEmpty()) {
      return Optional.of(new Supersession(item.sortKey(), GONE, item.url() + " no longer exists (" + howGone + "; "
          + "deleted after it was recorded), so version " + token.substring(ETAG.length()) + " can never be loaded"));
    }
    return replacedBy(item, now);
  }

  /** The supersession of {@code item} when S3 now holds another version under its key; empty when it is current. */
  static Optional<Supersession> replaced(WorkItem item, ObjectVersions versions) {
    String token = item.versionToken();
    if (token == null || !token.startsWith(ETAG)) {
      return Optional.empty();
    }
    return replacedBy(item, versions.currentETag(item.bucket(), item.key()));
  }

  private static Optional<Supersession> replacedBy(WorkItem item, Optional<String> now) {
    String token = item.versionToken();
    if (now.isEmpty() || token.equals(ETAG + now.get())) {
      return Optional.empty();
    }
    String replacing = TrackerItems.fileId(new S3ObjectRef(item.bucket(), item.key(), 0, now.get(), null, null));
    return Optional.of(new Supersession(item.sortKey(), replacing, item.url() + " was overwritten by eTag "
        + now.get() + " (file " + replacing + ") before it could be loaded; version " + token.substring(ETAG.length())
        + " (file " + item.fileId() + ") is superseded, the current version loads under its own entry"));
  }
}
