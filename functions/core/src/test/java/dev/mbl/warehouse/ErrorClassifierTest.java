package dev.mbl.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Texts are Redshift's where AWS publishes them: "Load error reference" and "STL_LOAD_ERRORS"
 * (load errors), "Serializable isolation" (1023), "statement_timeout" and "CANCEL" (a cancelled
 * query), "COPY from columnar data formats" (refused options). Where AWS publishes no text (NOT
 * NULL and IDENTITY rules of a COPY column list, refused-option wording), the closest wording
 * Redshift is known to print is used and the test says so.
 */
class ErrorClassifierTest {

  @Test
  void classify_serializableIsolationViolation_transient() {
    assertThat(ErrorClassifier.classify("ERROR: 1023 DETAIL: Serializable isolation violation on table - 100218, "
        + "transactions forming the cycle are: 2384, 2385 (pid:13402)")).isEqualTo(ErrorClass.TRANSIENT);
  }

  @Test
  void classify_loadIntoTableFailed_dataAndLoadError() {
    String error = "Load into table 'orders' failed. Check 'stl_load_errors' system table for details.";
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.DATA);
    assertThat(ErrorClassifier.isLoadError(error)).isTrue();
  }

  @Test
  void classify_serverlessLoadErrorPointingAtSysView_dataAndLoadError() {
    String error = "ERROR: Load into table 'mbl_stage_01m8' failed. Check 'sys_load_error_detail' system table "
        + "for details.";
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.DATA);
    assertThat(ErrorClassifier.isLoadError(error)).isTrue();
  }

  @Test
  void classify_permissionDenied_setup() {
    assertThat(ErrorClassifier.classify("ERROR: permission denied for relation orders"))
        .isEqualTo(ErrorClass.SETUP);
  }

  @Test
  void classify_relationDoesNotExist_setup() {
    assertThat(ErrorClassifier.classify("ERROR: relation \"public.orders\" does not exist"))
        .isEqualTo(ErrorClass.SETUP);
  }

  /** "statement_timeout": a query over the timeout is cancelled with this text; "CANCEL" gives the same. */
  @ParameterizedTest
  @ValueSource(strings = {"ERROR: Query (500123) cancelled on user's request",
      "ERROR: Query (500123) canceled on user's request",
      "ERROR: canceling statement due to statement timeout",
      "ERROR: Query (500124) cancelled by WLM abort action"})
  void classify_cancelledOrTimedOut_setupNotTransient(String error) {
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.SETUP);
  }

  /** "COPY from columnar data formats" lists the parameters; AWS publishes no text for a refused one. */
  @ParameterizedTest
  @ValueSource(strings = {"ERROR: MAXERROR argument is not supported for PARQUET based COPY",
      "ERROR: ACCEPTANYDATE argument is not supported for ORC based COPY",
      "ERROR: VACUUM cannot run inside a transaction block"})
  void classify_refusedOptionOrStatement_setup(String error) {
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.SETUP);
  }

  /** IDENTITY and NOT NULL rules hit every row of every file; AWS publishes no exact text for these. */
  @ParameterizedTest
  @ValueSource(strings = {"ERROR: cannot set an identity column to a value",
      "ERROR: Cannot insert a NULL value into column id",
      "ERROR: null value in column \"id\" violates not-null constraint",
      "ERROR: NOT NULL column without DEFAULT must be included in column list"})
  void classify_identityOrNotNullRule_setup(String error) {
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.SETUP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Rate exceeded", "ThrottlingException: Rate exceeded",
      "ActiveStatementsExceededException: Active statements exceeded the allowed quota (500)."})
  void classify_throttling_transientNotSetup(String error) {
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.TRANSIENT);
  }

  @Test
  void classify_spectrumParquetSchemaMismatch_unknownButNamesTheFile() {
    String error = "Spectrum Scan Error. File 's3://landing/orders/part-0001.parquet' has an "
        + "incompatible Parquet schema for column 's3://landing/orders/.amount'. Column type: DECIMAL(18,2), "
        + "Parquet schema:\noptional binary amount [i:3 d:1 r:0]";
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.UNKNOWN);
    assertThat(ErrorClassifier.namesFile(error, "landing", "orders/part-0001.parquet")).isTrue();
    assertThat(ErrorClassifier.namesFile(error, "landing", "orders/part-0001.parq")).isFalse();
    assertThat(ErrorClassifier.namesFile(error, "landing", "orders/part-0002.parquet")).isFalse();
  }

  /** "COPY from columnar data formats": the counts must match; Spectrum names the file by its https URL. */
  @Test
  void namesFile_columnCountMismatchWithHttpsUrlAndSpaceInKey_found() {
    String error = "Spectrum Scan Error\n  DETAIL:\n  error:  Spectrum Scan Error\n  code:      15007\n"
        + "  context:   Unmatched number of columns between table and file. Table columns: 2, Data columns: 3, "
        + "File name: https://s3.us-east-1.amazonaws.com/landing/orders/part 0001.parquet\n";
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.UNKNOWN);
    assertThat(ErrorClassifier.namesFile(error, "landing", "orders/part 0001.parquet")).isTrue();
    assertThat(ErrorClassifier.namesFile(error, "landing", "orders/part 0001.parquet.gz")).isFalse();
    assertThat(ErrorClassifier.namesFile("File name: https://s3.us-east-1.amazonaws.com/landing/orders/part%200001"
        + ".parquet", "landing", "orders/part 0001.parquet")).isTrue();
  }

  @Test
  void classify_missingDataFile_data() {
    assertThat(ErrorClassifier.classify("S3ServiceException:The specified key does not exist.,Status 404,"
        + "Error NoSuchKey")).isEqualTo(ErrorClass.DATA);
  }

  @Test
  void classify_missingManifest_setup() {
    assertThat(ErrorClassifier.classify("Problem reading manifest file - S3ServiceException:The specified key does "
        + "not exist.,Status 404,Error NoSuchKey")).isEqualTo(ErrorClass.SETUP);
  }

  @Test
  void classify_outOfMemory_transient() {
    assertThat(ErrorClassifier.classify("ERROR: Out Of Memory")).isEqualTo(ErrorClass.TRANSIENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SSL SYSCALL error: Connection reset by peer",
      "FATAL: terminating connection due to administrator command",
      "server closed the connection unexpectedly"})
  void classify_lostConnection_transient(String error) {
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.TRANSIENT);
  }

  @Test
  void classify_unknownError_unknown() {
    assertThat(ErrorClassifier.classify("ERROR: something nobody has seen before")).isEqualTo(ErrorClass.UNKNOWN);
  }

  @Test
  void classify_nullOrEmpty_unknown() {
    assertThat(ErrorClassifier.classify(null)).isEqualTo(ErrorClass.UNKNOWN);
    assertThat(ErrorClassifier.classify("")).isEqualTo(ErrorClass.UNKNOWN);
  }

  @Test
  void classify_upperCaseText_matchesCaseInsensitively() {
    assertThat(ErrorClassifier.classify("ERROR: PERMISSION DENIED FOR SCHEMA SALES")).isEqualTo(ErrorClass.SETUP);
  }

  @Test
  void classify_dataAndTransientWordsTogether_dataWins() {
    assertThat(ErrorClassifier.classify("Load into table 'orders' failed after a connection retry"))
        .isEqualTo(ErrorClass.DATA);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ERROR: relation \"public.connections\" does not exist",
      "ERROR: column \"timeout_ms\" of relation \"orders\" does not exist",
      "ERROR: relation \"public.orders_1023\" does not exist",
      "ERROR: permission denied for relation connection_log",
      "Problem reading manifest file - S3ServiceException:Access Denied,Status 403,Error AccessDenied",
      "ERROR: syntax error at or near \"MANIFEST\""})
  void classify_setupErrorMentioningTransientOrFileWords_setup(String error) {
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.SETUP);
  }

  @Test
  void normalise_sameFailureOfTwoBatches_equal() {
    assertThat(ErrorClassifier.normalise("ERROR: XX000: odd failure in \"mbl_stage_01HZX3K7M2Q4R6T8V0W2Y4A6C8\" at 17"))
        .isEqualTo(ErrorClassifier.normalise("error:  XX000: odd failure in \"mbl_stage_01J0000000000000000000000B\" at 4"));
  }

  @Test
  void normalise_differentFailures_differ() {
    assertThat(ErrorClassifier.normalise("ERROR: odd failure")).isNotEqualTo(ErrorClassifier.normalise(
        "ERROR: other failure"));
  }
}
