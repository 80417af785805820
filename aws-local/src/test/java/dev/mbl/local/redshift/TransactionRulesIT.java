package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;

/**
 * Transaction-block rules, statement_timeout and the test switches (throttling, refused
 * submissions, holding a statement to cancel it while it runs). Each test names its document.
 */
class TransactionRulesIT {
  private static EmulatorFixture fixture;

  @BeforeAll
  static void start() {
    fixture = EmulatorFixture.start();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /**
   * "SVL_MULTI_STATEMENT_VIOLATIONS", "VACUUM", "ALTER TABLE" and "Serializable isolation":
   * VACUUM, ALTER TABLE ... ALTER COLUMN TYPE, ALTER TABLE APPEND and CREATE EXTERNAL TABLE cannot
   * run in a transaction block, which a BatchExecuteStatement is. The text is PostgreSQL's, which
   * Redshift keeps; alone (ExecuteStatement) VACUUM runs.
   */
  @Test
  void batch_statementThatCannotRunInATransactionBlock_failsAndRollsBack() {
    fixture.execute("CREATE TABLE block_t (id INT, note VARCHAR(5))");

    DescribeStatementResponse vacuum = fixture.batch("INSERT INTO block_t VALUES (1, 'a')", "VACUUM block_t");
    DescribeStatementResponse alter = fixture.batch("ALTER TABLE block_t ALTER COLUMN note TYPE VARCHAR(10)");
    DescribeStatementResponse append = fixture.batch("ALTER TABLE block_t APPEND FROM other_t");
    DescribeStatementResponse external = fixture.batch("CREATE EXTERNAL TABLE spectrum.t (id INT) "
        + "STORED AS PARQUET LOCATION 's3://data/ext/'");

    assertThat(vacuum.subStatements().get(1).error()).isEqualTo("ERROR: VACUUM cannot run inside a transaction block");
    assertThat(alter.error()).isEqualTo("ERROR: ALTER TABLE ALTER COLUMN cannot run inside a transaction block");
    assertThat(append.error()).isEqualTo("ERROR: ALTER TABLE APPEND cannot run inside a transaction block");
    assertThat(external.error()).isEqualTo("ERROR: CREATE EXTERNAL TABLE cannot run inside a transaction block");
    assertThat(fixture.query("SELECT count(*) FROM block_t")).containsExactly(List.of("0"));
    assertThat(fixture.run("VACUUM block_t").statusAsString()).isEqualTo("FINISHED");
  }

  /** "TRUNCATE" and "Serializable isolation": TRUNCATE commits the transaction it runs in, so a later failure keeps it. */
  @Test
  void batch_truncate_commitsWhatCameBefore() {
    fixture.execute("CREATE TABLE trunc_a (id INT)");
    fixture.execute("CREATE TABLE trunc_b (id INT)");
    fixture.execute("INSERT INTO trunc_b VALUES (1)");

    DescribeStatementResponse done = fixture.batch("INSERT INTO trunc_a VALUES (1)", "TRUNCATE trunc_b",
        "INSERT INTO trunc_a VALUES (2)", "SELECT 1 / 0");

    assertThat(done.statusAsString()).isEqualTo("FAILED");
    assertThat(fixture.query("SELECT id FROM trunc_a")).containsExactly(List.of("1"));
    assertThat(fixture.query("SELECT count(*) FROM trunc_b")).containsExactly(List.of("0"));
  }

  /** "statement_timeout": a statement that runs too long fails with "Query (N) cancelled on user's request". */
  @Test
  void statementTimeout_exceeded_failsAsCancelledOnUsersRequest() {
    DescribeStatementResponse done = fixture.batch("SET statement_timeout TO 50", "SELECT pg_sleep(5)");

    assertThat(done.statusAsString()).isEqualTo("FAILED");
    long query = done.subStatements().get(1).redshiftQueryId();
    assertThat(query).isPositive();
    assertThat(done.subStatements().get(1).error()).isEqualTo("ERROR: Query (" + query + ") cancelled on user's "
        + "request");
  }

  /**
   * "Common Errors" (Data API reference): ThrottlingException, HTTP 400. The SDK retries throttling
   * by itself, so a client without retries sees it; the default client gets through after retrying.
   */
  @Test
  void throttleNextRequests_answersHttp400ThrottlingException() {
    try (RedshiftDataClient noRetries = RedshiftDataClient.builder().endpointOverride(fixture.emulator.endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
            .doNotRetry())).build()) {
      fixture.emulator.throttleNextRequests(1);

      assertThatThrownBy(() -> noRetries.listStatements(l -> l.maxResults(1)))
          .isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            assertThat(e.isThrottlingException()).isTrue();
          });
      assertThat(noRetries.listStatements(l -> l.maxResults(1)).statements()).isNotNull();
    }
    fixture.emulator.throttleNextRequests(1);
    assertThat(fixture.run("SELECT 1").statusAsString()).isEqualTo("FINISHED");
  }

  /** ExecuteStatement's ActiveStatementsExceededException (HTTP 400), on demand. */
  @Test
  void refuseNextSubmissions_answersActiveStatementsExceeded() {
    fixture.emulator.refuseNextSubmissions(1);

    assertThatThrownBy(() -> fixture.run("SELECT 1")).isInstanceOfSatisfying(ActiveStatementsExceededException.class,
        e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(fixture.run("SELECT 1").statusAsString()).isEqualTo("FINISHED");
  }

  /** CancelStatement of a running statement ends it ABORTED ("CancelStatement", Data API reference). */
  @Test
  void holdStatements_letsATestCancelARunningStatement() {
    fixture.execute("CREATE TABLE held_t (id INT)");
    fixture.emulator.holdStatements();
    String id;
    try {
      id = fixture.data().batchExecuteStatement(b -> b.clusterIdentifier(EmulatorFixture.CLUSTER)
          .database(EmulatorFixture.DATABASE).sqls("INSERT INTO held_t VALUES (1)", "SELECT 1")).id();
      awaitStatus(id, "STARTED");

      assertThat(fixture.data().cancelStatement(c -> c.id(id)).status()).isTrue();
    } finally {
      fixture.emulator.releaseStatements();
    }

    DescribeStatementResponse ended = fixture.await(id);
    assertThat(ended.statusAsString()).isEqualTo("ABORTED");
    assertThat(fixture.query("SELECT count(*) FROM held_t")).containsExactly(List.of("0"));
  }

  private static void awaitStatus(String id, String status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (status.equals(fixture.data().describeStatement(d -> d.id(id)).statusAsString())) {
        return;
      }
      EmulatorFixture.sleep(10);
    }
    throw new AssertionError("statement " + id + " never reached " + status);
  }
}
