package dev.mbl.local.redshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.local.redshift.CopyCommand.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 side of a COPY: which objects a manifest or key prefix names, and their bytes,
 * decompressed. Failures read like Redshift's S3 errors ("The specified key does not exist").
 * GZIP is built in; BZIP2 and ZSTD use commons-compress and zstd-jni (or aircompressor) when
 * they are on the class path, and fail naming the missing codec otherwise.
 */
final class CopySources {
  /** One object to load, with its size as stored in S3 (-1 until known). */
  record SourceFile(String url, String bucket, String key, long size) {
    static SourceFile of(String url) {
      if (url == null || !url.startsWith("s3://") || url.indexOf('/', 5) < 0) {
        throw new CopyFailedException("Manifest entry url '" + url + "' is not a full s3://bucket/key path "
            + "(code 8001)");
      }
      int slash = url.indexOf('/', 5);
      return new SourceFile(url, url.substring(5, slash), url.substring(slash + 1), -1);
    }

    SourceFile withSize(long bytes) {
      return new SourceFile(url, bucket, key, bytes);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_SUCH_KEY = "S3ServiceException:The specified key does not exist.,Status 404,"
      + "Error NoSuchKey,Rid local,CanRetry 1";

  private final S3Client s3;
  private final BucketRegions regions;

  CopySources(S3Client s3, BucketRegions regions) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.regions = Objects.requireNonNull(regions, "regions");
  }

  /**
   * The objects {@code source} names: a manifest's existing entries, or every object under a
   * prefix. Columnar files need {@code meta.content_length} in the manifest, and it must be right.
   */
  List<SourceFile> files(String source, boolean manifest, boolean columnar, String region) {
    SourceFile location = SourceFile.of(source);
    String expected = region == null ? regions.warehouseRegion() : region;
    regions.check(location.bucket(), expected, location.url());
    List<SourceFile> files = manifest ? manifestEntries(location, columnar) : underPrefix(location);
    files.forEach(file -> regions.check(file.bucket(), expected, file.url()));
    return files;
  }

  private List<SourceFile> manifestEntries(SourceFile manifest, boolean columnar) {
    byte[] bytes;
    try {
      bytes = get(manifest);
    } catch (CopyFailedException missing) {
      throw new CopyFailedException("Problem reading manifest file - " + missing.getMessage(), missing);
    }
    JsonNode entries;
    try {
      entries = JSON.readTree(bytes).path("entries");
    } catch (IOException e) {
      entries = null;
    }
    if (entries == null || !entries.isArray()) {
      throw new CopyFailedException("Manifest file is not in correct json format: " + manifest.url()
          + " needs an \"entries\" array");
    }
    List<SourceFile> files = new ArrayList<>();
    for (JsonNode entry : entries) {
      SourceFile file = SourceFile.of(entry.path("url").asText(null));
      JsonNode declared = entry.path("meta").path("content_length");
      if (columnar && !declared.canConvertToLong()) {
        throw new CopyFailedException("Manifest entry " + file.url() + " has no meta.content_length, which COPY "
            + "needs for columnar files (manifest " + manifest.url() + ")");
      }
      long length = length(file);
      if (length >= 0) {
        if (columnar && declared.asLong() != length) {
          throw new CopyFailedException("Manifest entry " + file.url() + " has meta.content_length "
              + declared.asLong() + " but the object has " + length + " bytes (manifest " + manifest.url() + ")");
        }
        files.add(file.withSize(length));
      } else if (entry.path("mandatory").asBoolean(false)) {
        throw new CopyFailedException(NO_SUCH_KEY + " Details: error: S3 key (" + file.url()
            + ") of a mandatory manifest entry does not exist, manifest " + manifest.url());
      }
    }
    return files;
  }

  private List<SourceFile> underPrefix(SourceFile prefix) {
    List<SourceFile> files = new ArrayList<>();
    try {
      for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(prefix.bucket()).prefix(prefix.key())).contents()) {
        if (!object.key().endsWith("/")) {
          files.add(new SourceFile("s3://" + prefix.bucket() + "/" + object.key(), prefix.bucket(), object.key(),
              object.size()));
        }
      }
    } catch (NoSuchBucketException e) {
      throw new CopyFailedException("S3ServiceException:The specified bucket does not exist,Status 404,"
          + "Error NoSuchBucket,Rid local,CanRetry 1 (bucket " + prefix.bucket() + ")", e);
    }
    if (files.isEmpty()) {
      throw new CopyFailedException("The specified S3 prefix '" + prefix.key() + "' does not exist");
    }
    return files;
  }

  /** The object's size, or -1 when it does not exist. */
  private long length(SourceFile file) {
    try {
      return s3.headObject(h -> h.bucket(file.bucket()).key(file.key())).contentLength();
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      return -1;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return -1;
      }
      throw e;
    }
  }

  /**
   * The file's path-style HTTPS URL, as Redshift Spectrum names a columnar
   * file in its errors ({@code https://s3.<region>.amazonaws.com/<bucket>/<key>}).
   */
  String httpsUrl(SourceFile file) {
    return "https://s3." + regions.regionOf(file.bucket()) + ".amazonaws.com/" + file.bucket() + "/" + file.key();
  }

  /** The object's bytes, decompressed. */
  byte[] read(SourceFile file, Compression compression) {
    byte[] stored = get(file);
    if (compression == Compression.NONE) {
      return stored;
    }
    try (InputStream in = decompressing(new ByteArrayInputStream(stored), compression)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CopyFailedException(compression + " decompression of " + file.url() + " failed: " + e.getMessage()
          + " (is the file really " + compression + " compressed?)", e);
    }
  }

  private byte[] get(SourceFile file) {
    try {
      return s3.getObjectAsBytes(g -> g.bucket(file.bucket()).key(file.key())).asByteArray();
    } catch (NoSuchKeyException e) {
      throw new CopyFailedException(NO_SUCH_KEY + " Details: error: S3 key (" + file.url() + ") does not exist", e);
    } catch (NoSuchBucketException e) {
      throw new CopyFailedException("S3ServiceException:The specified bucket does not exist,Status 404,"
          + "Error NoSuchBucket,Rid local,CanRetry 1 (" + file.url() + ")", e);
    }
  }

  private static InputStream decompressing(InputStream in, Compression compression) throws IOException {
    return switch (compression) {
      case GZIP -> new GZIPInputStream(in);
      case BZIP2 -> codec(in, "BZIP2", "org.apache.commons:commons-compress",
          "org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream");
      case ZSTD -> codec(in, "ZSTD", "com.github.luben:zstd-jni", "com.github.luben.zstd.ZstdInputStream",
          "io.airlift.compress.zstd.ZstdInputStream");
      case NONE -> in;
    };
  }

  /** A decompressing stream from the first codec class found; optional libraries, so looked up by name. */
  private static InputStream codec(InputStream in, String name, String artifact, String... classes)
      throws IOException {
    for (String className : classes) {
      try {
        return (InputStream) Class.forName(className).getConstructor(InputStream.class).newInstance(in);
      } catch (ClassNotFoundException | NoSuchMethodException | LinkageError absent) {
        // try the next codec
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IOException(e);
      }
    }
    throw new CopyFailedException(name + " is not available on the emulator: no " + name + " codec on the class "
        + "path (add " + artifact + ")");
  }

  /** UTF-8 text; bytes that are not UTF-8 become {@link ValueConverter#INVALID}, for ACCEPTINVCHARS. */
  static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith(String.valueOf(ValueConverter.INVALID))
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
  }
}
