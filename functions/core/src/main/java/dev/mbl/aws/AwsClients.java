package dev.mbl.aws;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one place that builds AWS clients. Every client shares one URL-connection HTTP client
 * (no Netty or Apache client in the Lambda jar) and is built on first use, so a handler that
 * never touches the Data API never pays for its client.
 *
 * <p>An endpoint override per service (keys {@code s3}, {@code dynamodb}, {@code redshift-data})
 * points a client at a local stand-in; production code is otherwise identical.
 */
public final class AwsClients implements AutoCloseable {
  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Map<String, URI> endpoints;
  private final SdkHttpClient http;
  private final Lazy<S3Client> s3;
  private final Lazy<DynamoDbClient> dynamo;
  private final Lazy<RedshiftDataClient> redshiftData;
  /** False for a {@link #wrapped} view: closing it leaves the clients it wraps to their owner. */
  private final boolean owner;

  private AwsClients(Region region, AwsCredentialsProvider credentials, Map<String, URI> endpoints) {
    this.owner = true;
    this.region = Objects.requireNonNull(region, "region");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.endpoints = Map.copyOf(endpoints);
    this.http = UrlConnectionHttpClient.builder().build();
    this.s3 = new Lazy<>(this::buildS3);
    this.dynamo = new Lazy<>(this::buildDynamo);
    this.redshiftData = new Lazy<>(this::buildRedshiftData);
  }

  private AwsClients(AwsClients base, java.util.function.UnaryOperator<S3Client> s3Wrap,
      java.util.function.UnaryOperator<DynamoDbClient> dynamoWrap,
      java.util.function.UnaryOperator<RedshiftDataClient> redshiftDataWrap) {
    this.owner = false;
    this.region = base.region;
    this.credentials = base.credentials;
    this.endpoints = base.endpoints;
    this.http = base.http;
    this.s3 = new Lazy<>(() -> Objects.requireNonNull(s3Wrap.apply(base.s3()), "wrapped s3"));
    this.dynamo = new Lazy<>(() -> Objects.requireNonNull(dynamoWrap.apply(base.dynamo()), "wrapped dynamo"));
    this.redshiftData = new Lazy<>(() -> Objects.requireNonNull(redshiftDataWrap.apply(base.redshiftData()),
        "wrapped redshiftData"));
  }

  /**
   * A view of these clients with each one passed through a wrapper: the local runtime's
   * composition root injects faults this way (mbl's own code never calls it). Closing the view
   * closes nothing; the clients stay this instance's.
   */
  public AwsClients wrapped(java.util.function.UnaryOperator<S3Client> s3Wrap,
      java.util.function.UnaryOperator<DynamoDbClient> dynamoWrap,
      java.util.function.UnaryOperator<RedshiftDataClient> redshiftDataWrap) {
    return new AwsClients(this, Objects.requireNonNull(s3Wrap, "s3Wrap"), Objects.requireNonNull(dynamoWrap,
        "dynamoWrap"), Objects.requireNonNull(redshiftDataWrap, "redshiftDataWrap"));
  }

  /** Clients for {@code region} with the default credential chain and AWS's own endpoints. */
  public static AwsClients create(Region region) {
    return new AwsClients(region, DefaultCredentialsProvider.builder().build(), Map.of());
  }

  /** Clients with explicit credentials and endpoint overrides (keys: s3, dynamodb, redshift-data). */
  public static AwsClients create(Region region, AwsCredentialsProvider credentials, Map<String, URI> endpoints) {
    return new AwsClients(region, credentials, endpoints);
  }

  public S3Client s3() {
    return s3.get();
  }

  public DynamoDbClient dynamo() {
    return dynamo.get();
  }

  public RedshiftDataClient redshiftData() {
    return redshiftData.get();
  }

  private S3Client buildS3() {
    var builder = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http)
        // Checksums only where S3 requires them: keeps requests plain for S3-compatible stand-ins.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.addExecutionInterceptor(new NoExpectContinue()));
    URI endpoint = endpoints.get("s3");
    if (endpoint != null) {
      builder.endpointOverride(endpoint).forcePathStyle(true);
    }
    return builder.build();
  }

  private DynamoDbClient buildDynamo() {
    var builder = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
    URI endpoint = endpoints.get("dynamodb");
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  private RedshiftDataClient buildRedshiftData() {
    var builder = RedshiftDataClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
    URI endpoint = endpoints.get("redshift-data");
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  @Override
  public void close() {
    if (!owner) {
      return;
    }
    s3.ifBuilt(S3Client::close);
    dynamo.ifBuilt(DynamoDbClient::close);
    redshiftData.ifBuilt(RedshiftDataClient::close);
    http.close();
  }

  /**
   * Drops the {@code Expect: 100-continue} header the S3 client adds to uploads. mbl uploads only
   * small manifests, for which the handshake costs a round trip and buys nothing, and
   * HttpURLConnection's 100-continue handling fails with an error the SDK does not retry when a
   * server closes an idle connection at the wrong moment (seen here against S3Proxy within a few
   * hundred uploads).
   */
  static final class NoExpectContinue implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      SdkHttpRequest request = context.httpRequest();
      return request.firstMatchingHeader("Expect").isPresent() ? request.toBuilder().removeHeader("Expect").build()
          : request;
    }
  }

  private static final class Lazy<T> {
    private final Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
      this.factory = factory;
    }

    T get() {
      T result = value;
      if (result == null) {
        synchronized (this) {
          result = value;
          if (result == null) {
            result = factory.get();
            value = result;
          }
        }
      }
      return result;
    }

    void ifBuilt(java.util.function.Consumer<T> action) {
      T result = value;
      if (result != null) {
        action.accept(result);
      }
    }
  }
}
