package dev.mbl.testing;

import java.net.URI;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import dev.mbl.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy on a free loopback port, storing in a temporary folder (removed on close), with a real
 * SDK client pointed at it. Not the in-memory (jimfs) store: under load it resets uploads after a
 * few thousand objects, which the filesystem store does not.
 */
public final class LocalS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "local";
  public static final String SECRET_KEY = "local-secret";

  private final S3Proxy proxy;
  private final URI endpoint;
  private final AwsClients clients;
  private final Path storage;

  private LocalS3(S3Proxy proxy, URI endpoint, Path storage) {
    this.proxy = proxy;
    this.storage = storage;
    this.endpoint = endpoint;
    this.clients = AwsClients.create(Region.US_EAST_1,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
        Map.of("s3", endpoint));
  }

  public static LocalS3 start() {
    try {
      Path storage = Files.createTempDirectory("mbl-s3-");
      S3Proxy proxy = S3Proxy.builder()
          .blobStore(new FilesystemNio2BlobStore(storage.toString()))
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
          .build();
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start within 10 s (state " + proxy.getState() + ")");
        }
        Thread.onSpinWait();
      }
      return new LocalS3(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()), storage);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public S3Client client() {
    return clients.s3();
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

  @Override
  public void close() {
    clients.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    }
    try (Stream<Path> files = Files.walk(storage)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove S3Proxy's folder " + storage, e);
    }
  }
}
