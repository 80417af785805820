package dev.mbl.load;

import static dev.mbl.testing.LoadHarness.LANDING_BUCKET;
import static dev.mbl.testing.LoadHarness.TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.manifest.ManifestWriter;
import dev.mbl.testing.LoadHarness;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import dev.mbl.tracker.Lock;
import dev.mbl.tracker.LockPhase;
import dev.mbl.tracker.TrackerItems;
import dev.mbl.tracker.WorkItem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An object overwritten before it loaded (docs/protocol.md, section 6a): COPY reads whatever is
 * under the URL, so only the current version may load, once, under its own entry; an older
 * version ends SUPERSEDED naming the version that replaced it; no manifest lists a URL twice.
 */
class VersionsIT {
  private static final String KEY = "orders/2026/11/21/overwritten.csv";

  private final LoadHarness h = new LoadHarness();

  /** Puts {@code body} under {@link #KEY} (a new version when it differs) and returns its reference. */
  private S3ObjectRef put(String body) {
    LoadHarness.s3().put(LANDING_BUCKET, KEY, body.getBytes(StandardCharsets.UTF_8));
    var head = LoadHarness.s3().client().headObject(o -> o.bucket(LANDING_BUCKET).key(KEY));
    return new S3ObjectRef(LANDING_BUCKET, KEY, head.contentLength(), head.eTag(), null, null);
  }

  private LedgerEntry entry(S3ObjectRef version) {
    return h.tracker.ledgerEntry(TABLE, version).orElseThrow();
  }

  private void assertSupersededBy(S3ObjectRef old, S3ObjectRef current) {
    LedgerEntry entry = entry(old);
    assertThat(entry.state()).isEqualTo(FileState.SUPERSEDED);
    assertThat(entry.reason()).contains("s3://" + LANDING_BUCKET + "/" + KEY, "overwritten by eTag " + current.eTag(),
        TrackerItems.fileId(current));
    Map<String, AttributeValue> item = LoadHarness.dynamo().client().getItem(g -> g.tableName(h.tracker.tableName())
        .key(TrackerItems.key(TABLE, TrackerItems.FILE_PREFIX + TrackerItems.fileId(old)))).item();
    assertThat(item.get("superseded_by").s()).isEqualTo(TrackerItems.fileId(current));
  }

  @Test
  void start_twoVersionsLedgeredBeforeLoad_loadsTheCurrentOnceAndSupersedesTheOld() {
    S3ObjectRef v1 = put("v1,1\nv1,2\n");
    h.ledger(List.of(v1));
    S3ObjectRef v2 = put("v2,1\nv2,2\nv2,3\n");
    h.ledger(List.of(v2));

    List<LoadEvent> events = h.coordinator().start(TABLE, h.now());
    h.drain(h.coordinator());

    assertThat(events).extracting(LoadEvent::action).contains("superseded", "started");
    assertSupersededBy(v1, v2);
    assertThat(entry(v2).state()).isEqualTo(FileState.LOADED);
    assertThat(h.api.loadedLines()).containsExactlyInAnyOrder("v2,1", "v2,2", "v2,3");
    assertThat(h.tracker.work(TABLE)).isEmpty();
    assertThat(h.tracker.lock(TABLE)).isEmpty();
  }

  @Test
  void start_overwrittenBeforeTheNewVersionsEventArrives_supersedesThenLoadsTheNewOnItsEvent() {
    S3ObjectRef v1 = put("v1,1\n");
    h.ledger(List.of(v1));
    S3ObjectRef v2 = put("v2,1\n");

    h.drain(h.coordinator());
    assertSupersededBy(v1, v2);
    assertThat(h.api.loadedLines()).as("nothing loads under the old entry").isEmpty();

    h.ledger(List.of(v2));
    h.drain(h.coordinator());
    assertThat(entry(v2).state()).isEqualTo(FileState.LOADED);
    assertThat(h.api.loadedLines()).containsExactly("v2,1");
  }

  @Test
  void start_olderVersionsEventArrivesAfterTheNewerLoaded_supersedesTheLateEntry() {
    S3ObjectRef v1 = put("v1,1\n");
    S3ObjectRef v2 = put("v2,1\n");
    h.ledger(List.of(v2));
    h.drain(h.coordinator());

    h.ledger(List.of(v1)); // a late (or redelivered) event of the version S3 no longer holds
    h.drain(h.coordinator());

    assertSupersededBy(v1, v2);
    assertThat(entry(v2).state()).isEqualTo(FileState.LOADED);
    assertThat(h.api.loadedLines()).containsExactly("v2,1");
  }

  @Test
  void start_twoEntriesOfOneUrlWithoutETag_neverShareAManifest() {
    put("v,1\n");
    S3ObjectRef first = new S3ObjectRef(LANDING_BUCKET, KEY, 4, null, "version-1", null);
    S3ObjectRef second = new S3ObjectRef(LANDING_BUCKET, KEY, 4, null, "version-2", null);
    h.ledger(List.of(first, second));
    ManifestWriter manifests = spy(h.manifests());
    List<List<String>> listed = new ArrayList<>();
    doAnswer(invocation -> {
      List<WorkItem> files = invocation.getArgument(2);
      listed.add(files.stream().map(WorkItem::url).toList());
      return invocation.callRealMethod();
    }).when(manifests).write(any(), anyString(), anyList());

    h.drain(h.coordinator(h.tracker, h.warehouse, manifests));

    assertThat(listed).as("manifests written").hasSize(2)
        .allSatisfy(urls -> assertThat(urls).doesNotHaveDuplicates());
  }

  /**
   * Overwritten after its batch started: COPY read the newer bytes and Redshift blamed the file
   * (here a columnar column-count error naming it). Not this version's fault: SUPERSEDED, never
   * QUARANTINED; the newer version loads under its own entry.
   */
  @Test
  void settle_fileBlamedAfterItsObjectWasOverwrittenDuringTheBatch_supersededNotQuarantined() {
    S3ObjectRef v1 = put("v1,1\n");
    List<S3ObjectRef> others = h.upload(2);
    h.ledger(List.of(v1));
    h.ledger(others);
    h.api.script(dev.mbl.event.StatementState.FAILED, "Spectrum Scan Error\n  DETAIL:\n  code:      15007\n"
        + "  context:   Unmatched number of columns between table and file. Table columns: 2, Data columns: 3, "
        + "File name: https://s3.us-east-1.amazonaws.com/" + LANDING_BUCKET + "/" + KEY + "\n");
    LoadCoordinator coordinator = h.coordinator();
    List<LoadEvent> events = new ArrayList<>(coordinator.start(TABLE, h.now()));
    S3ObjectRef v2 = put("v2,1\nv2,2\n"); // while the batch runs

    events.addAll(h.drain(coordinator));
    h.ledger(List.of(v2));
    events.addAll(h.drain(coordinator));

    assertThat(events).extracting(LoadEvent::action).contains("superseded").doesNotContain("quarantined");
    assertSupersededBy(v1, v2);
    assertThat(entry(v1).reason()).contains("Redshift's error on it", "Table columns: 2, Data columns: 3");
    assertThat(entry(v2).state()).isEqualTo(FileState.LOADED);
    others.forEach(o -> assertThat(entry(o).state()).isEqualTo(FileState.LOADED));
    assertThat(h.api.loadedLines()).filteredOn(l -> l.startsWith("v")).containsExactlyInAnyOrder("v2,1", "v2,2");
  }

  /** A file deleted after its event: quarantined at the start, so no COPY fails on it and no table holds. */
  @Test
  void start_objectDeletedAfterItWasRecorded_quarantinedBeforeAnyBatchAndTheRestLoads() {
    List<S3ObjectRef> files = h.upload(3);
    h.ledger(files);
    LoadHarness.s3().client().deleteObject(d -> d.bucket(LANDING_BUCKET).key(files.get(0).key()));

    List<LoadEvent> events = h.coordinator().start(TABLE, h.now());
    h.drain(h.coordinator());

    assertThat(events).extracting(LoadEvent::action).containsSubsequence("quarantined", "started");
    assertThat(entry(files.get(0)).state()).isEqualTo(FileState.QUARANTINED);
    assertThat(entry(files.get(0)).reason()).contains("no longer exists (S3 HeadObject: 404");
    assertThat(entry(files.get(1)).state()).isEqualTo(FileState.LOADED);
    assertThat(entry(files.get(2)).state()).isEqualTo(FileState.LOADED);
    assertThat(h.api.submittedSql()).as("one batch, none failed").hasSize(1);
    h.assertInvariant();
  }

  @Test
  void start_s3DoesNotAnswerForOneFile_leavesItPendingAndLoadsTheRest() {
    List<S3ObjectRef> files = h.upload(3);
    h.ledger(files);
    ObjectVersions real = ObjectVersions.of(LoadHarness.s3().client());
    ObjectVersions flaky = (bucket, key) -> {
      if (key.equals(files.get(1).key())) {
        throw software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request: timeout");
      }
      return real.currentETag(bucket, key);
    };
    LoadCoordinator unsure = new LoadCoordinator(h.tracker, h.configs::load,
        new dev.mbl.warehouse.TableColumns(h.warehouse, java.time.Clock.systemUTC(), Duration.ofMinutes(5)),
        h.warehouse, h.manifests(), dev.mbl.sql.BatchSqlBuilder.create(), new BatchIds(), LoadHarness.TIMINGS, flaky);

    List<LoadEvent> events = unsure.start(TABLE, h.now());

    assertThat(events).extracting(LoadEvent::action).containsSubsequence("version-unknown", "started");
    assertThat(events).filteredOn(e -> e.action().equals("started")).singleElement()
        .satisfies(e -> assertThat(e.files()).isEqualTo(2));
    assertThat(h.tracker.work(TABLE)).filteredOn(w -> w.batchId() == null).singleElement()
        .satisfies(w -> assertThat(w.key()).isEqualTo(files.get(1).key()));
    h.drain(h.coordinator());
    h.assertInvariant();
  }

  @Test
  void reconcile_crashAfterSupersede_repairsAndLoadsOnlyTheCurrentVersion() {
    S3ObjectRef v1 = put("v1,1\n");
    List<S3ObjectRef> others = h.upload(3);
    h.ledger(List.of(v1));
    h.ledger(others);
    S3ObjectRef v2 = put("v2,1\n");
    h.ledger(List.of(v2));
    DynamoDbTracker tracker = spy(h.tracker);
    doAnswer(invocation -> {
      invocation.callRealMethod();
      throw new CrashRecoveryIT.SimulatedCrash("supersede");
    }).when(tracker).supersede(any(), anyString(), anyList(), any());
    try {
      h.coordinator(tracker, h.warehouse).start(TABLE, h.now());
    } catch (CrashRecoveryIT.SimulatedCrash expected) {
      // died with the old version superseded and nothing claimed
    }
    Lock stuck = h.tracker.lock(TABLE).orElseThrow();
    assertThat(stuck.phase()).isEqualTo(LockPhase.CLAIMING);
    assertSupersededBy(v1, v2);

    h.advance(Duration.between(h.now(), stuck.leaseUntil()).plus(Duration.ofMinutes(1)));
    List<LoadEvent> events = h.coordinator().reconcile(h.now());
    h.drain(h.coordinator());

    assertThat(events).extracting(LoadEvent::action).contains("rolled-back", "started");
    assertSupersededBy(v1, v2);
    assertThat(entry(v2).state()).isEqualTo(FileState.LOADED);
    others.forEach(o -> assertThat(entry(o).state()).isEqualTo(FileState.LOADED));
    assertThat(h.api.loadedLines()).filteredOn(l -> l.startsWith("v")).containsExactly("v2,1");
    assertThat(h.api.loadedLines()).hasSize(1 + 3 * 2);
    assertThat(h.tracker.lock(TABLE)).isEmpty();
    assertThat(h.tracker.work(TABLE)).isEmpty();
  }

  /** The coordinator of {@link LoadHarness}, asking S3 through {@code s3} for the files' versions. */
  private LoadCoordinator coordinatorAsking(software.amazon.awssdk.services.s3.S3Client s3) {
    return new LoadCoordinator(h.tracker, h.configs::load,
        new dev.mbl.warehouse.TableColumns(h.warehouse, java.time.Clock.systemUTC(), Duration.ofMinutes(5)),
        h.warehouse, h.manifests(), dev.mbl.sql.BatchSqlBuilder.create(), new BatchIds(), LoadHarness.TIMINGS,
        ObjectVersions.of(s3));
  }

  /** Twelve files, then the fourth overwritten and the ninth deleted before the start. */
  private List<S3ObjectRef> twelveWithOneOverwrittenOneDeleted() {
    List<S3ObjectRef> files = h.upload(12);
    h.ledger(files);
    LoadHarness.s3().put(LANDING_BUCKET, files.get(3).key(), "rewritten,9\n".getBytes(StandardCharsets.UTF_8));
    LoadHarness.s3().client().deleteObject(d -> d.bucket(LANDING_BUCKET).key(files.get(8).key()));
    return files;
  }

  private void assertOverwrittenSupersededDeletedQuarantinedRestLoaded(List<S3ObjectRef> files, String howGone) {
    for (int i = 0; i < files.size(); i++) {
      FileState expected = i == 3 ? FileState.SUPERSEDED : i == 8 ? FileState.QUARANTINED : FileState.LOADED;
      assertThat(entry(files.get(i)).state()).as("file %d", i).isEqualTo(expected);
    }
    assertThat(entry(files.get(8)).reason()).contains("no longer exists (" + howGone);
    assertThat(h.api.submittedSql()).as("one batch, none failed").hasSize(1);
    assertThat(h.api.loadedLines()).as("the 10 loadable files' rows, once each").hasSize(20)
        .noneMatch(l -> l.startsWith(files.get(3).key()) || l.startsWith(files.get(8).key()));
    assertThat(h.tracker.lock(TABLE)).isEmpty();
    assertThat(h.tracker.work(TABLE)).isEmpty();
  }

  @Test
  void start_manyFilesOfOneBucket_oneListingInsteadOfAHeadObjectEach() {
    List<S3ObjectRef> files = twelveWithOneOverwrittenOneDeleted();
    software.amazon.awssdk.services.s3.S3Client s3 = spiedS3();

    coordinatorAsking(s3).start(TABLE, h.now());
    h.drain(h.coordinator());

    org.mockito.Mockito.verify(s3, org.mockito.Mockito.never()).headObject(anyHead());
    org.mockito.Mockito.verify(s3, org.mockito.Mockito.times(1)).listObjectsV2(anyListing());
    assertOverwrittenSupersededDeletedQuarantinedRestLoaded(files, "S3 ListObjectsV2: not listed");
  }

  /** Without s3:ListBucket on the prefix S3 answers 403 to the listing: each file is asked instead. */
  @Test
  void start_listingRefused_asksEachFileWithHeadObject() {
    List<S3ObjectRef> files = twelveWithOneOverwrittenOneDeleted();
    software.amazon.awssdk.services.s3.S3Client s3 = spiedS3();
    org.mockito.Mockito.doThrow(software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(403)
        .message("Access Denied").build()).when(s3).listObjectsV2(anyListing());

    coordinatorAsking(s3).start(TABLE, h.now());
    h.drain(h.coordinator());

    org.mockito.Mockito.verify(s3, org.mockito.Mockito.times(12)).headObject(anyHead());
    assertOverwrittenSupersededDeletedQuarantinedRestLoaded(files, "S3 HeadObject: 404");
  }

  /** The harness's S3, recorded. */
  private static software.amazon.awssdk.services.s3.S3Client spiedS3() {
    return org.mockito.Mockito.mock(
        software.amazon.awssdk.services.s3.S3Client.class,
        org.mockito.AdditionalAnswers.delegatesTo(LoadHarness.s3().client()));
  }

  private static java.util.function.Consumer<software.amazon.awssdk.services.s3.model.HeadObjectRequest.Builder>
      anyHead() {
    return org.mockito.ArgumentMatchers.any();
  }

  private static java.util.function.Consumer<software.amazon.awssdk.services.s3.model.ListObjectsV2Request.Builder>
      anyListing() {
    return org.mockito.ArgumentMatchers.any();
  }

  @Test
  void commonPrefix_multiByteCharacters_neverSplitsOne() {
    assertThat(VersionCheck.commonPrefix("a/\uD83D\uDE00x", "a/\uD83D\uDE01y")).isEqualTo("a/");
    assertThat(VersionCheck.commonPrefix("day=1/a", "day=1/b")).isEqualTo("day=1/");
    assertThat(ObjectVersions.compareUtf8("\uFFFD", "\uD83D\uDE00")).as("S3 orders by UTF-8 bytes").isNegative();
  }
}
