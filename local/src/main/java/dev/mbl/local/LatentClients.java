package dev.mbl.local;

import dev.mbl.aws.AwsClients;
import dev.mbl.local.latency.Latency;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The handlers' S3 and DynamoDB clients with a latency profile's round trip before each request
 * (the Data API emulator pays its own). A paginator is rebuilt on the slowed client, so each page
 * is a request that pays too. With no S3 or DynamoDB latency the clients are returned as they are.
 */
final class LatentClients {
  /** Client methods that send nothing. */
  private static final Set<String> LOCAL_METHODS = Set.of("close", "serviceName", "serviceClientConfiguration",
      "utilities", "waiter");

  private LatentClients() {}

  static AwsClients wrap(AwsClients clients, Latency latency) {
    if (latency.profile().s3Request().isZero() && latency.profile().dynamoRequest().isZero()) {
      return clients;
    }
    return clients.wrapped(s3 -> latency.profile().s3Request().isZero() ? s3
            : slowed(S3Client.class, s3, latency::s3Request),
        dynamo -> latency.profile().dynamoRequest().isZero() ? dynamo
            : slowed(DynamoDbClient.class, dynamo, latency::dynamoRequest),
        redshiftData -> redshiftData);
  }

  /** {@code real} behind a proxy that runs {@code roundTrip} before each request. */
  static <T> T slowed(Class<T> type, T real, Runnable roundTrip) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "LatentClients(" + real + ")";
        };
      }
      if (method.getName().endsWith("Paginator")) {
        Object pages = paginator(type, proxy, method, args);
        if (pages != null) {
          return pages;
        }
      } else if (!LOCAL_METHODS.contains(method.getName())) {
        roundTrip.run();
      }
      return ClientProxies.call(real, method, args);
    };
    return ClientProxies.proxy(type, handler);
  }

  /**
   * The SDK's paginator for the request, built on {@code proxy} (the real client's would fetch
   * its pages past the proxy); null when it cannot be built that way.
   */
  private static Object paginator(Class<?> type, Object proxy, Method method, Object[] args) {
    if (args == null || args.length != 1) {
      return null;
    }
    try {
      Class<?> requestType = requestType(type, method.getName());
      Object request = args[0];
      if (request instanceof Consumer<?> mutation) {
        Method builderMethod = requestType.getMethod("builder");
        Object builder = builderMethod.invoke(null);
        @SuppressWarnings("unchecked")
        Consumer<Object> apply = (Consumer<Object>) mutation;
        apply.accept(builder);
        // the public Builder interface's build(): the implementation class is not accessible
        request = builderMethod.getReturnType().getMethod("build").invoke(builder);
      }
      return method.getReturnType().getConstructor(type, requestType).newInstance(proxy, request);
    } catch (ReflectiveOperationException | RuntimeException unexpected) {
      return null;
    }
  }

  private static Class<?> requestType(Class<?> type, String name) throws NoSuchMethodException {
    for (Method candidate : type.getMethods()) {
      if (candidate.getName().equals(name) && candidate.getParameterCount() == 1
          && SdkRequest.class.isAssignableFrom(candidate.getParameterTypes()[0])) {
        return candidate.getParameterTypes()[0];
      }
    }
    throw new NoSuchMethodException(type.getSimpleName() + "." + name + "(request)");
  }

}
