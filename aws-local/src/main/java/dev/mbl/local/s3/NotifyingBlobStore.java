package dev.mbl.local.s3;

import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * A blob store that reports every object it has stored (put, copy, completed multipart upload)
 * to {@link S3Notifications}. The report is made only after the wrapped store returned, that is
 * once the object is stored and readable, as S3 does.
 *
 * <p>It also hides what S3 never lists: S3Proxy's filesystem store writes a PUT to a temporary
 * file {@code <key>-<uuid>} beside the object and lists it while the PUT runs. S3 lists an object
 * only once its PUT succeeded, so a listing leaves out such a name while a PUT of its key is in
 * flight or ended moments ago (a listing may have read the folder just before the rename); copies
 * and completed multipart uploads are written the same way.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {
  /** S3Proxy's own bookkeeping objects (multipart stubs, ...), which S3 would never report. */
  private static final String INTERNAL_PREFIX = ".s3proxy";
  private static final Pattern TEMPORARY = Pattern.compile(
      "(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final long GRACE_MILLIS = 5_000;
  private static final long IN_FLIGHT = Long.MAX_VALUE;
  private final S3Notifications notifications;
  /** bucket NUL key -> IN_FLIGHT while a PUT runs, then the time it ended (ms). */
  private final Map<String, Long> puts = new ConcurrentHashMap<>();

  NotifyingBlobStore(BlobStore delegate, S3Notifications notifications) {
    super(delegate);
    this.notifications = Objects.requireNonNull(notifications, "notifications");
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
    PutObjectResponse response = writing(request.bucket(), request.key(), () -> super.putBlob(request, content));
    stored(ObjectCreated.PUT, request.bucket(), request.key());
    return response;
  }

  /** Runs a write of {@code bucket/key}, marking the key in flight so listings hide its temporary file. */
  private <T> T writing(String bucket, String key, Supplier<T> write) {
    String put = bucket + '\0' + key;
    puts.put(put, IN_FLIGHT);
    try {
      return write.get();
    } finally {
      long now = System.currentTimeMillis();
      puts.put(put, now);
      puts.values().removeIf(ended -> ended != IN_FLIGHT && ended < now - GRACE_MILLIS);
    }
  }

  @Override
  public ListObjectsV2Response list(ListObjectsV2Request request) {
    ListObjectsV2Response response = super.list(request);
    if (puts.isEmpty() || !response.hasContents()) {
      return response;
    }
    long recent = System.currentTimeMillis() - GRACE_MILLIS;
    var listed = response.contents().stream().filter(o -> !temporary(request.bucket(), o.key(), recent)).toList();
    return listed.size() == response.contents().size() ? response
        : response.toBuilder().contents(listed).keyCount(response.keyCount() == null ? null
            : response.keyCount() - (response.contents().size() - listed.size())).build();
  }

  private boolean temporary(String bucket, String key, long recent) {
    Matcher name = TEMPORARY.matcher(key);
    if (!name.matches()) {
      return false;
    }
    Long ended = puts.get(bucket + '\0' + name.group(1));
    return ended != null && ended >= recent;
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    CopyObjectResponse response = writing(request.destinationBucket(), request.destinationKey(),
        () -> super.copyBlob(request));
    stored(ObjectCreated.COPY, request.destinationBucket(), request.destinationKey());
    return response;
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
      CompleteMultipartUploadRequest request) {
    CompleteMultipartUploadResponse response = writing(upload.containerName(), upload.blobName(),
        () -> super.completeMultipartUpload(upload, request));
    stored(ObjectCreated.COMPLETE_MULTIPART_UPLOAD, upload.containerName(), upload.blobName());
    return response;
  }

  // ForwardingBlobStore leaves these two to BlobStore's defaults (no UploadPartCopy): forward them.
  @Override
  public boolean supportsCopyMultipartPart() {
    return delegate().supportsCopyMultipartPart();
  }

  @Override
  public UploadPartCopyResponse copyMultipartPart(MultipartUpload upload, UploadPartCopyRequest request) {
    return delegate().copyMultipartPart(upload, request);
  }

  /** Size and ETag as stored, read back from the store rather than trusted from the request. */
  private void stored(String eventName, String bucket, String key) {
    if (key.startsWith(INTERNAL_PREFIX)) {
      return;
    }
    HeadObjectResponse head = delegate().blobMetadata(bucket, key);
    notifications.objectCreated(eventName, bucket, key, head.contentLength() == null ? 0 : head.contentLength(),
        unquoted(head.eTag()));
  }

  private static String unquoted(String eTag) {
    if (eTag == null) {
      return "";
    }
    return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
        ? eTag.substring(1, eTag.length() - 1) : eTag;
  }
}
