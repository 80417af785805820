package dev.mbl.local.s3;

import java.io.InputStream;
import java.util.Objects;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * A blob store that reports every object it has stored (put, copy, completed multipart upload)
 * to {@link S3Notifications}. The report is made only after the wrapped store returned, that is
 * once the object is stored and readable, as S3 does.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {
  /** S3Proxy's own bookkeeping objects (multipart stubs, ...), which S3 would never report. */
  private static final String INTERNAL_PREFIX = ".s3proxy";
  private final S3Notifications notifications;

  NotifyingBlobStore(BlobStore delegate, S3Notifications notifications) {
    super(delegate);
    this.notifications = Objects.requireNonNull(notifications, "notifications");
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
    PutObjectResponse response = super.putBlob(request, content);
    stored(ObjectCreated.PUT, request.bucket(), request.key());
    return response;
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    CopyObjectResponse response = super.copyBlob(request);
    stored(ObjectCreated.COPY, request.destinationBucket(), request.destinationKey());
    return response;
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
      CompleteMultipartUploadRequest request) {
    CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
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
