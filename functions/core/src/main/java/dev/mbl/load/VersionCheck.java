package dev.mbl.load;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.tracker.Supersession;
import dev.mbl.tracker.TrackerItems;
import dev.mbl.tracker.WorkItem;
import dev.mbl.util.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits the files a starter took into those whose version is still the object under their key
 * and those that were overwritten (docs/protocol.md, section 6a). A file without an eTag token
 * cannot be compared and stays; so does a deleted object (COPY fails on it and it is quarantined
 * as vanished). The HeadObject requests run in parallel (the start lease must cover them all);
 * a file S3 did not answer for is left out of this batch and stays pending.
 */
final class VersionCheck {
  private static final String ETAG = "e:";
  /** Concurrent HeadObject requests of one start: 1,000 files take about 1,000 / 16 round trips. */
  static final int PARALLEL_HEADS = 16;

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
    List<Parallel.Outcome<Optional<Supersession>>> answers = Parallel.map(taken, PARALLEL_HEADS, "mbl-head-object",
        item -> answer(item, versions));
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

  /** As {@link #replaced}, plus a deleted object (checked files only) as a supersession by {@link #GONE}. */
  private static Optional<Supersession> answer(WorkItem item, ObjectVersions versions) {
    String token = item.versionToken();
    if (token == null || !token.startsWith(ETAG)) {
      return Optional.empty();
    }
    Optional<String> now = versions.currentETag(item.bucket(), item.key());
    if (now.isEmpty()) {
      return Optional.of(new Supersession(item.sortKey(), GONE, item.url() + " no longer exists (S3 HeadObject: 404; "
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
