package dev.mbl.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Which version of an object S3 holds under a key right now. COPY reads exactly that, so a
 * ledgered version is loadable only while it is the current one (docs/protocol.md, section 6a).
 */
@FunctionalInterface
public interface ObjectVersions {
  /** The eTag (without quotes) of the object now under {@code bucket}/{@code key}; empty when none is. */
  Optional<String> currentETag(String bucket, String key);

  /**
   * The current objects of one bucket under {@code prefix} whose keys lie from {@code first} to
   * {@code last} (S3's order: UTF-8 bytes), listed with at most {@code maxPages} requests; empty when
   * this source cannot list (the default) or S3 refused. S3 lists with strong consistency ("Amazon
   * S3 data consistency model"), so within {@link Listing#coveredThrough} a key absent from the
   * listing has no object.
   */
  default Optional<Listing> list(String bucket, String prefix, String first, String last, int maxPages) {
    return Optional.empty();
  }

  /**
   * @param eTags eTag (without quotes) by key, for the keys listed
   * @param coveredThrough the last key the listing covers: {@code last} when it got that far; else
   *     the last key it read (keys after it are unknown)
   */
  record Listing(Map<String, String> eTags, String coveredThrough) {
    public Listing {
      eTags = Map.copyOf(eTags);
      Objects.requireNonNull(coveredThrough, "coveredThrough");
    }

    /** Whether the listing says anything about {@code key}. */
    public boolean covers(String key) {
      return compareUtf8(key, coveredThrough) <= 0;
    }
  }

  /** S3's key order: unsigned UTF-8 bytes. */
  static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * S3's answer: {@code HeadObject} per key (needs {@code s3:GetObject} on it), or {@code
   * ListObjectsV2} for many keys (needs {@code s3:ListBucket} for the prefix; a refusal falls back to
   * HeadObject).
   */
  static ObjectVersions of(S3Client s3) {
    Objects.requireNonNull(s3, "s3");
    return new ObjectVersions() {
      @Override
      public Optional<String> currentETag(String bucket, String key) {
        try {
          String eTag = s3.headObject(h -> h.bucket(bucket).key(key)).eTag();
          return Optional.ofNullable(eTag).map(ObjectVersions::unquoted);
        } catch (NoSuchKeyException gone) {
          return Optional.empty();
        } catch (S3Exception e) {
          if (e.statusCode() == 404) {
            return Optional.empty();
          }
          throw e;
        }
      }

      @Override
      public Optional<Listing> list(String bucket, String prefix, String first, String last, int maxPages) {
        Map<String, String> eTags = new HashMap<>();
        // Start just before the first key: S3 lists the keys after StartAfter.
        String before = first.isEmpty() ? "" : first.substring(0, first.offsetByCodePoints(first.length(), -1));
        String startAfter = before.isEmpty() ? null : before;
        String token = null;
        String lastRead = startAfter == null ? "" : startAfter;
        try {
          for (int page = 0; page < maxPages; page++) {
            String continuation = token;
            ListObjectsV2Response response = s3.listObjectsV2(l -> l.bucket(bucket).prefix(prefix)
                .startAfter(continuation == null ? startAfter : null).continuationToken(continuation).maxKeys(1000));
            for (S3Object object : response.contents()) {
              if (compareUtf8(object.key(), last) > 0) {
                return Optional.of(new Listing(eTags, last));
              }
              eTags.put(object.key(), unquoted(object.eTag()));
              lastRead = object.key();
            }
            if (!Boolean.TRUE.equals(response.isTruncated())) {
              return Optional.of(new Listing(eTags, last));
            }
            token = response.nextContinuationToken();
          }
          return Optional.of(new Listing(eTags, lastRead));
        } catch (S3Exception refused) {
          return Optional.empty();
        }
      }
    };
  }

  private static String unquoted(String eTag) {
    return eTag == null ? null : eTag.replace("\"", "");
  }
}
