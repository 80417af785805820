package dev.mbl.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorClassifierTest {

  @Test
  void classify_serializableIsolationViolation_transient() {
    assertThat(ErrorClassifier.classify("ERROR: 1023 DETAIL: Serializable isolation violation on table - 100218, "
        + "transactions forming the cycle are: 2384, 2385 (pid:13402)")).isEqualTo(ErrorClass.TRANSIENT);
  }

  @Test
  void classify_loadIntoTableFailed_data() {
    assertThat(ErrorClassifier.classify(
        "Load into table 'orders' failed. Check 'stl_load_errors' system table for details."))
        .isEqualTo(ErrorClass.DATA);
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

  @Test
  void classify_spectrumParquetSchemaMismatch_data() {
    assertThat(ErrorClassifier.classify("Spectrum Scan Error. File 's3://landing/orders/part-0001.parquet' has an "
        + "incompatible Parquet schema for column 's3://landing/orders/.amount'. Column type: DECIMAL(18,2), "
        + "Parquet schema:\noptional binary amount [i:3 d:1 r:0]")).isEqualTo(ErrorClass.DATA);
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
  void classify_unknownError_data() {
    assertThat(ErrorClassifier.classify("ERROR: something nobody has seen before")).isEqualTo(ErrorClass.DATA);
  }

  @Test
  void classify_nullOrEmpty_data() {
    assertThat(ErrorClassifier.classify(null)).isEqualTo(ErrorClass.DATA);
    assertThat(ErrorClassifier.classify("")).isEqualTo(ErrorClass.DATA);
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

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "ERROR: relation \"public.connections\" does not exist",
      "ERROR: column \"timeout_ms\" of relation \"orders\" does not exist",
      "ERROR: relation \"public.orders_1023\" does not exist",
      "ERROR: permission denied for relation connection_log",
      "Problem reading manifest file - S3ServiceException:Access Denied,Status 403,Error AccessDenied",
      "ERROR: syntax error at or near \"MANIFEST\""})
  void classify_setupErrorMentioningTransientOrFileWords_setup(String error) {
    assertThat(ErrorClassifier.classify(error)).isEqualTo(ErrorClass.SETUP);
  }
}
