package dev.mbl.lambda;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;

/**
 * The S3, DynamoDB and Data API request kinds sent through clients it wraps, named as the SDK
 * names them to interceptors ({@code DynamoDb.GetItem}, {@code S3.ListObjectsV2}), so they compare
 * with what {@link Priming} reports.
 */
final class SentRequests {
  private final Set<String> sent = ConcurrentHashMap.newKeySet();

  /** {@code client} seen through a proxy that records each request-taking call as {@code service.Operation}. */
  @SuppressWarnings("unchecked")
  <T> T recording(Class<T> type, String service, T client) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (args != null && args.length > 0 && (args[0] instanceof SdkRequest || args[0] instanceof Consumer)) {
        String operation = method.getName().replaceAll("(AsBytes|Paginator)$", "");
        sent.add(service + "." + Character.toUpperCase(operation.charAt(0)) + operation.substring(1));
      }
      try {
        return method.invoke(client, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  Set<String> sent() {
    return new TreeSet<>(sent);
  }
}
