package dev.mbl.local.s3;

import dev.mbl.local.logging.QuietLogging;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 on a free loopback port: S3Proxy over an in-memory or a directory-backed store, sending
 * {@code ObjectCreated} notifications through {@link S3Notifications}. Path-style requests only
 * ({@code forcePathStyle(true)} in the SDK, {@code --endpoint-url} in the CLI).
 */
public final class S3Server implements AutoCloseable {
  /** The credentials {@link #start()} accepts. */
  public static final String ACCESS_KEY = "local";
  public static final String SECRET_KEY = "local-secret";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private final S3Proxy proxy;
  private final String accessKey;
  private final String secretKey;
  private S3Client client;
  private final URI endpoint;
  private final BlobStore store;
  /** The folder this server made for itself (no directory given); null otherwise. */
  private final Path temporary;

  private S3Server(S3Proxy proxy, BlobStore store, Path temporary, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.store = store;
    this.temporary = temporary;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /**
   * Starts S3.
   *
   * @param directory where objects are kept; null keeps them in a temporary folder removed on
   *     close (not S3Proxy's in-memory store, which resets uploads after a few thousand objects)
   * @param accessKey the only access key accepted (SigV2 or SigV4)
   * @param secretKey its secret
   * @param notifications receives every created object; not null
   */
  public static S3Server start(Path directory, String accessKey, String secretKey, S3Notifications notifications) {
    Objects.requireNonNull(notifications, "notifications");
    QuietLogging.apply();
    Path temporary = directory == null ? temporaryFolder() : null;
    BlobStore backend = filesystem(directory == null ? temporary : directory);
    BlobStore store = new NotifyingBlobStore(backend, notifications);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .stopTimeout(0)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT.toSeconds()
              + " s (state " + proxy.getState() + ")");
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(proxy);
      throw new IllegalStateException("interrupted while starting S3Proxy", e);
    } catch (Exception e) {
      stopQuietly(proxy);
      throw new IllegalStateException("cannot start S3Proxy on a free loopback port: " + e.getMessage(), e);
    }
    return new S3Server(proxy, store, temporary, accessKey, secretKey);
  }

  /**
   * Starts S3 in a temporary folder, accepting {@link #ACCESS_KEY} / {@link #SECRET_KEY}, sending
   * no notifications: plain S3 for tests of code that reads and writes objects.
   */
  public static S3Server start() {
    return start(null, ACCESS_KEY, SECRET_KEY, S3Notifications.none());
  }

  /** A path-style client of this server with its credentials, region us-east-1 (owned by it: do not close). */
  public synchronized S3Client client() {
    if (client == null) {
      client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
          .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }
    return client;
  }

  public void createBucket(String bucket) {
    client().createBucket(b -> b.bucket(bucket));
  }

  public void put(String bucket, String key, byte[] body) {
    client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
  }

  public byte[] get(String bucket, String key) {
    return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("mbl-s3-");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create a temporary folder for S3: " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return proxy.getPort();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (client != null) {
        client.close();
      }
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy on port " + port() + ": " + e.getMessage(), e);
    } finally {
      store.close();
      if (temporary != null) {
        try (var paths = Files.walk(temporary)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
          throw new IllegalStateException("cannot remove the temporary S3 folder " + temporary, e);
        }
      }
    }
  }

  private static BlobStore filesystem(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create the S3 directory " + directory + ": " + e.getMessage(), e);
    }
    return new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception ignored) {
      // Start already failed; that failure is the one reported.
    }
  }
}
