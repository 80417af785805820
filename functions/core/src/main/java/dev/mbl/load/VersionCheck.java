package dev.mbl.load;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.tracker.Supersession;
import dev.mbl.tracker.TrackerItems;
import dev.mbl.tracker.WorkItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits the files a starter took into those whose version is still the object under their key
 * and those that were overwritten (docs/protocol.md, section 6a). A file without an eTag token
 * cannot be compared and stays; so does a deleted object (COPY fails on it and it is quarantined
 * as vanished).
 */
final class VersionCheck {
  private static final String ETAG = "e:";

  record Split(List<WorkItem> current, List<Supersession> superseded) {}

  private VersionCheck() {}

  static Split split(List<WorkItem> taken, ObjectVersions versions) {
    List<WorkItem> current = new ArrayList<>();
    List<Supersession> superseded = new ArrayList<>();
    for (WorkItem item : taken) {
      replaced(item, versions).ifPresentOrElse(superseded::add, () -> current.add(item));
    }
    return new Split(current, superseded);
  }

  /** The supersession of {@code item} when S3 now holds another version under its key; empty when it is current. */
  static Optional<Supersession> replaced(WorkItem item, ObjectVersions versions) {
    String token = item.versionToken();
    if (token == null || !token.startsWith(ETAG)) {
      return Optional.empty();
    }
    Optional<String> now = versions.currentETag(item.bucket(), item.key());
    if (now.isEmpty() || token.equals(ETAG + now.get())) {
      return Optional.empty();
    }
    String replacing = TrackerItems.fileId(new S3ObjectRef(item.bucket(), item.key(), 0, now.get(), null, null));
    return Optional.of(new Supersession(item.sortKey(), replacing, item.url() + " was overwritten by eTag "
        + now.get() + " (file " + replacing + ") before it could be loaded; version " + token.substring(ETAG.length())
        + " (file " + item.fileId() + ") is superseded, the current version loads under its own entry"));
  }
}
