package dev.mbl.cli.bench;

import static dev.mbl.local.ClientProxies.call;
import static dev.mbl.local.ClientProxies.proxy;

import dev.mbl.aws.AwsClients;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Counts the requests the handlers send, by service and operation, at their clients (installed
 * with {@code LocalStackBuilder.handlerClients}, as the soak's faults are). DynamoDB requests ask
 * for {@code ReturnConsumedCapacity=TOTAL} and the units DynamoDB Local returns are summed: as
 * reported, and by AWS's rules, which differ for transactions only. DynamoDB Local charges a
 * whole TransactWriteItems 4 units per KB of all its items together (checked: one, two or three
 * small items all cost 4; a 5 KB item and a small one 24); "Amazon DynamoDB Transactions: How it
 * works" (Capacity management for transactions) charges every item of a transaction two writes of
 * its own size. So a transaction's AWS units are counted here, per item: 2 x ceil(size / 1 KB), the
 * size of a Put's item from the request and of an Update's, Delete's or ConditionCheck's item from
 * the table after the call ({@link #sizes}: an unpaused, uncounted client; before it is set, 1 KB).
 * A ConditionCheck is billed like the other items ("every item in the transaction").
 */
final class RequestCounter {
  private static final Set<String> DYNAMO_READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan",
      "TransactGetItems");

  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final DoubleAdder reportedRead = new DoubleAdder();
  private final DoubleAdder reportedWrite = new DoubleAdder();
  private final DoubleAdder awsRead = new DoubleAdder();
  private final DoubleAdder awsWrite = new DoubleAdder();
  private final LongAdder withoutCapacity = new LongAdder();
  private volatile DynamoDbClient sizes;

  /** Where the sizes of transaction items are read from: the stack's own client (unpaused, not counted). */
  void sizesFrom(DynamoDbClient raw) {
    this.sizes = raw;
  }

  /** Counts so far: calls by "service:Operation", and DynamoDB units. */
  record Counts(Map<String, Long> calls, double reportedRcu, double reportedWcu, double rcu, double wcu,
      long dynamoWithoutCapacity) {
    Counts {
      calls = Map.copyOf(calls);
    }

    /** What happened between {@code earlier} and this. */
    Counts minus(Counts earlier) {
      Map<String, Long> delta = new TreeMap<>();
      calls.forEach((op, n) -> {
        long d = n - earlier.calls().getOrDefault(op, 0L);
        if (d != 0) {
          delta.put(op, d);
        }
      });
      return new Counts(delta, reportedRcu - earlier.reportedRcu(), reportedWcu - earlier.reportedWcu(),
          rcu - earlier.rcu(), wcu - earlier.wcu(), dynamoWithoutCapacity - earlier.dynamoWithoutCapacity());
    }

    /** Calls of one service ("dynamodb", "s3", "redshift-data") by operation. */
    Map<String, Long> of(String service) {
      Map<String, Long> ops = new TreeMap<>();
      calls.forEach((op, n) -> {
        if (op.startsWith(service + ":")) {
          ops.put(op.substring(service.length() + 1), n);
        }
      });
      return ops;
    }

    long total(String service) {
      return of(service).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  AwsClients wrap(AwsClients real) {
    return real.wrapped(s3 -> counted(S3Client.class, "s3", s3), this::dynamo,
        data -> counted(RedshiftDataClient.class, "redshift-data", data));
  }

  Counts snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((op, n) -> copy.put(op, n.sum()));
    return new Counts(copy, reportedRead.sum(), reportedWrite.sum(), awsRead.sum(), awsWrite.sum(),
        withoutCapacity.sum());
  }

  private DynamoDbClient dynamo(DynamoDbClient real) {
    return proxy(DynamoDbClient.class, (proxy, method, args) -> {
      if (delegatesToProxy(method, args)) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      Object request = args == null || args.length != 1 ? null : args[0];
      if (request instanceof SdkRequest sdk && method.getName().equals(operationMethod(sdk))) {
        request = withCapacity(sdk);
        count("dynamodb", sdk);
        Object response = call(real, method, new Object[] {request});
        addCapacity(operation(sdk), response, sdk);
        return response;
      }
      return call(real, method, args);
    });
  }

  private <T> T counted(Class<T> type, String service, T real) {
    return proxy(type, (proxy, method, args) -> {
      if (delegatesToProxy(method, args)) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      if (args != null && args.length >= 1 && args[0] instanceof SdkRequest sdk) {
        count(service, sdk);
      }
      return call(real, method, args);
    });
  }

  /** Consumer-builder overloads and paginators: their default body calls the proxy again, where it is counted. */
  private static boolean delegatesToProxy(Method method, Object[] args) {
    return method.isDefault() && (method.getName().endsWith("Paginator")
        || (args != null && args.length >= 1 && args[0] instanceof Consumer));
  }

  private void count(String service, SdkRequest request) {
    calls.computeIfAbsent(service + ":" + operation(request), k -> new LongAdder()).increment();
  }

  /** "PutItemRequest" -> "PutItem". */
  private static String operation(SdkRequest request) {
    String name = request.getClass().getSimpleName();
    return name.endsWith("Request") ? name.substring(0, name.length() - "Request".length()) : name;
  }

  private static String operationMethod(SdkRequest request) {
    String op = operation(request);
    return Character.toLowerCase(op.charAt(0)) + op.substring(1);
  }

  /** The request with ReturnConsumedCapacity=TOTAL, when the operation takes it and none was asked for. */
  private static Object withCapacity(SdkRequest request) {
    try {
      Method current = request.getClass().getMethod("returnConsumedCapacity");
      if (current.invoke(request) != null) {
        return request;
      }
      // Through the public Builder interface: the builder's class itself is private to the SDK.
      Method toBuilder = request.getClass().getMethod("toBuilder");
      Class<?> builderType = toBuilder.getReturnType();
      Object builder = toBuilder.invoke(request);
      builderType.getMethod("returnConsumedCapacity", ReturnConsumedCapacity.class)
          .invoke(builder, ReturnConsumedCapacity.TOTAL);
      return builderType.getMethod("build").invoke(builder);
    } catch (NoSuchMethodException notTaken) {
      return request;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("bench: cannot ask DynamoDB for consumed capacity on " + operation(request), e);
    }
  }

  private void addCapacity(String operation, Object response, SdkRequest request) {
    Object capacity;
    try {
      capacity = response.getClass().getMethod("consumedCapacity").invoke(response);
    } catch (NoSuchMethodException notReturned) {
      return;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("bench: cannot read the consumed capacity of " + operation, e);
    }
    double units = 0;
    if (capacity instanceof ConsumedCapacity one) {
      units = unitsOf(one);
    } else if (capacity instanceof List<?> many && !many.isEmpty()) {
      for (Object each : many) {
        units += unitsOf((ConsumedCapacity) each);
      }
    } else {
      withoutCapacity.increment();
      return;
    }
    double aws = request instanceof TransactWriteItemsRequest transaction ? transactionUnits(transaction) : units;
    if (DYNAMO_READS.contains(operation)) {
      reportedRead.add(units);
      awsRead.add(aws);
    } else {
      reportedWrite.add(units);
      awsWrite.add(aws);
    }
  }

  /** AWS's units for a transaction: 2 x ceil(size / 1 KB) per item. */
  private double transactionUnits(TransactWriteItemsRequest transaction) {
    double units = 0;
    for (TransactWriteItem item : transaction.transactItems()) {
      if (item.put() != null) {
        units += 2 * ItemSize.writeUnits(ItemSize.of(item.put().item()));
      } else if (item.update() != null) {
        units += 2 * storedUnits(item.update().tableName(), item.update().key());
      } else if (item.delete() != null) {
        units += 2 * storedUnits(item.delete().tableName(), item.delete().key());
      } else if (item.conditionCheck() != null) {
        units += 2 * storedUnits(item.conditionCheck().tableName(), item.conditionCheck().key());
      }
    }
    return units;
  }

  private long storedUnits(String table, Map<String, AttributeValue> key) {
    DynamoDbClient raw = sizes;
    if (raw == null) {
      return 1;
    }
    Map<String, AttributeValue> item = raw.getItem(g -> g.tableName(table).key(key).consistentRead(true)).item();
    return ItemSize.writeUnits(item == null || item.isEmpty() ? ItemSize.of(key) : ItemSize.of(item));
  }

  private static double unitsOf(ConsumedCapacity capacity) {
    return capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
  }
}
