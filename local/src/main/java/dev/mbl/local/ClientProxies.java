package dev.mbl.local;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Dynamic proxies around the handlers' AWS client interfaces: the latency profile's round trips
 * ({@link LatentClients}), and what callers install with {@code LocalStackBuilder.handlerClients}
 * (the soak's faults, the bench's request counter).
 */
public final class ClientProxies {
  private ClientProxies() {}

  /** An instance of {@code type} whose every call goes to {@code handler}. */
  @SuppressWarnings("unchecked")
  public static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  /** Calls {@code method} on {@code target}, throwing what the call threw (not the reflective wrapper). */
  public static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
