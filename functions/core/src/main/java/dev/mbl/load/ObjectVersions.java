package dev.mbl.load;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which version of an object S3 holds under a key right now. COPY reads exactly that, so a
 * ledgered version is loadable only while it is the current one (docs/protocol.md, section 6a).
 */
@FunctionalInterface
public interface ObjectVersions {
  /** The eTag (without quotes) of the object now under {@code bucket}/{@code key}; empty when none is. */
  Optional<String> currentETag(String bucket, String key);

  /** S3's answer: one {@code HeadObject} (needs {@code s3:GetObject} on the key). */
  static ObjectVersions of(S3Client s3) {
    Objects.requireNonNull(s3, "s3");
    return (bucket, key) -> {
      try {
        String eTag = s3.headObject(h -> h.bucket(bucket).key(key)).eTag();
        return Optional.ofNullable(eTag).map(e -> e.replace("\"", ""));
      } catch (NoSuchKeyException gone) {
        return Optional.empty();
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return Optional.empty();
        }
        throw e;
      }
    };
  }
}
