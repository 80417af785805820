package dev.mbl.cli.soak;

import static dev.mbl.local.ClientProxies.call;
import static dev.mbl.local.ClientProxies.proxy;

import dev.mbl.aws.AwsClients;
import java.lang.reflect.InvocationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;

/**
 * The handlers' AWS clients with the soak's faults (installed at the local stack's composition
 * root with {@code LocalStackBuilder.handlerClients}): a crash right after a tracker or Data API
 * write took effect, and transient failures of BatchExecuteStatement. mbl's code is unchanged.
 */
public final class FaultyClients {
  /** Writes after which a handler may "crash". */
  private static final Set<String> DYNAMO_WRITES = Set.of("putItem", "updateItem", "deleteItem",
      "transactWriteItems", "batchWriteItem");
  /**
   * Completing a batch writes each file's ledger entry on its own ("mbl-complete" threads) where it
   * used to write 49 files per transaction; those writes crash as rarely per file as the
   * transactions did, or a 1,000-file batch would never finish settling.
   */
  static final int FILES_PER_FORMER_TRANSACTION = 49;
  /** A handler invocation makes about this many writes: the per-write crash rate is the per-invocation one over it. */
  static final double WRITES_PER_INVOCATION = 2.0;
  /** The statement that makes a batch fail with SQLSTATE 40001, which the emulator reports as Redshift's 1023. */
  static final String CONFLICT_SQL = "SELECT public.mbl_soak_conflict()";
  /** PL/pgSQL behind {@link #CONFLICT_SQL}, created in the emulator's PostgreSQL before the soak. */
  static final String CONFLICT_FUNCTION = "CREATE OR REPLACE FUNCTION public.mbl_soak_conflict() RETURNS int"
      + " LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not serialize access due to read/write dependencies"
      + " among transactions' USING ERRCODE = '40001'; END $$";

  private final FaultPlan plan;

  public FaultyClients(FaultPlan plan) {
    this.plan = plan;
  }

  /** Thrown by an injected crash: an Error, so no catch-all in the handlers swallows it. */
  public static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String call) {
      super("soak: simulated crash right after " + call);
    }
  }

  public AwsClients wrap(AwsClients real) {
    return real.wrapped(s3 -> s3, this::dynamo, this::redshiftData);
  }

  private DynamoDbClient dynamo(DynamoDbClient real) {
    return proxy(DynamoDbClient.class, (proxy, method, args) -> {
      Object result = call(real, method, args);
      if (DYNAMO_WRITES.contains(method.getName()) && crashNow()) {
        throw new SimulatedCrash("DynamoDB " + method.getName());
      }
      return result;
    });
  }

  private RedshiftDataClient redshiftData(RedshiftDataClient real) {
    return proxy(RedshiftDataClient.class, (proxy, method, args) -> {
      if (!method.getName().equals("batchExecuteStatement") || args == null || args.length != 1) {
        return call(real, method, args);
      }
      BatchExecuteStatementRequest request = requestOf(args[0]);
      // One decision per submission among the four transient kinds, each a quarter of the rate.
      if (plan.next(FaultKind.THROTTLING)) {
        throw refusal(400, "ThrottlingException", "Rate exceeded");
      }
      if (plan.next(FaultKind.SUBMIT_5XX)) {
        throw refusal(500, "InternalServerException", "soak: internal error before the statement existed");
      }
      BatchExecuteStatementRequest sent = request;
      if (plan.next(FaultKind.SERIALIZABLE_1023)) {
        List<String> sqls = new ArrayList<>(request.sqls());
        sqls.add(CONFLICT_SQL);
        sent = request.toBuilder().sqls(sqls).build();
      }
      Object result = real.batchExecuteStatement(sent);
      if (plan.next(FaultKind.SUBMIT_UNKNOWN)) {
        throw refusal(500, "InternalServerException", "soak: the statement was submitted, the answer lost");
      }
      if (crashNow()) {
        throw new SimulatedCrash("BatchExecuteStatement");
      }
      return result;
    });
  }

  @SuppressWarnings("unchecked")
  private static BatchExecuteStatementRequest requestOf(Object argument) {
    if (argument instanceof BatchExecuteStatementRequest request) {
      return request;
    }
    return BatchExecuteStatementRequest.builder()
        .applyMutation((java.util.function.Consumer<BatchExecuteStatementRequest.Builder>) argument).build();
  }

  private boolean crashNow() {
    double rate = plan.rate(FaultKind.CRASH) / WRITES_PER_INVOCATION;
    if (Thread.currentThread().getName().startsWith("mbl-complete")) {
      rate /= FILES_PER_FORMER_TRANSACTION;
    }
    return plan.next(FaultKind.CRASH, rate);
  }

  private static RedshiftDataException refusal(int status, String code, String message) {
    return (RedshiftDataException) RedshiftDataException.builder().statusCode(status).message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
            .serviceName("RedshiftData").build()).build();
  }
}
