package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Columns as "SYS_LOAD_ERROR_DETAIL" documents them (no raw_field_value); file_name is CHAR(256),
 * so padded. Messages as "Load error reference" shows them.
 */
class LoadErrorDiagnosisTest {
  private static final TableKey TABLE = TableKey.parse("analytics/dev/public.orders");
  private static final String A = "s3://landing/orders/2026/11/21/part 0001.csv";
  private static final String B = "s3://landing/orders/2026/11/21/part 0002.csv";

  @Test
  void sql_batchFiles_readsSysLoadErrorDetailSinceCreationLessSlackByCommonPrefix() {
    String sql = LoadErrorDiagnosis.sql(Instant.parse("2026-11-21T10:00:00.123Z"), List.of(A, B));

    assertThat(sql).isEqualTo("SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name, "
        + "TRIM(column_type) AS column_type, position, TRIM(error_message) AS error_message "
        + "FROM sys_load_error_detail WHERE start_time >= '2026-11-21 09:50:00' "
        + "AND file_name LIKE 's3://landing/orders/2026/11/21/part%' ORDER BY start_time DESC LIMIT 1000");
  }

  @Test
  void safePrefix_quoteOrWildcardInKey_cutBeforeIt() {
    assertThat(LoadErrorDiagnosis.safePrefix(List.of("s3://b/o'brien%1.csv"))).isEqualTo("s3://b/o");
    assertThat(LoadErrorDiagnosis.safePrefix(List.of("s3://b/x\\y.csv"))).isEqualTo("s3://b/x");
  }

  @Test
  void safePrefix_differentBuckets_schemeOnly() {
    assertThat(LoadErrorDiagnosis.safePrefix(List.of("s3://a/1.csv", "s3://b/1.csv"))).isEqualTo("s3://");
  }

  @Test
  void fileErrors_paddedNamesAndForeignRows_firstRowPerBatchFile() {
    List<Map<String, String>> rows = List.of(
        row(A + "      ", "7", "amount   ", "Invalid digit, Value 'x', Pos 0, Type: Long"),
        row("s3://landing/orders/2026/11/21/part 0003.csv", "1", "id", "other batch"),
        row(A, "9", "amount", "later row of the same file"),
        row(null, null, null, "no file"));

    Map<String, LoadErrorDiagnosis.FileError> errors = LoadErrorDiagnosis.fileErrors(rows, Set.of(A, B));

    assertThat(errors).containsOnlyKeys(A);
    assertThat(errors.get(A)).isEqualTo(new LoadErrorDiagnosis.FileError(A, "7", "amount", "int8", "0",
        "Invalid digit, Value 'x', Pos 0, Type: Long"));
    assertThat(errors.get(A).value()).isEqualTo("x");
  }

  @Test
  void reason_fileError_namesLineColumnValueRedshiftsReasonAndQuery() {
    String reason = LoadErrorDiagnosis.reason(TABLE, new LoadErrorDiagnosis.FileError(A, "7", "amount", "int8", "0",
        "Invalid digit, Value 'x', Pos 0, Type: Long"), "Load into table 'orders' failed.");

    assertThat(reason).startsWith("Redshift could not load " + A + " into public.orders: line 7, column amount "
        + "(int8), value 'x': Invalid digit, Value 'x', Pos 0, Type: Long (batch error: Load into table 'orders' "
        + "failed.)")
        .contains("FROM sys_load_error_detail WHERE TRIM(file_name) = '" + A + "'");
  }

  @Test
  void reason_messageQuotesNoValue_saysSo() {
    String reason = LoadErrorDiagnosis.reason(TABLE, new LoadErrorDiagnosis.FileError(A, "3", "id", null, null,
        "Missing data for not-null field"), "Load into table 'orders' failed.");

    assertThat(reason).contains("line 3, column id, value not quoted by Redshift: Missing data for not-null field");
  }

  private static Map<String, String> row(String file, String line, String column, String message) {
    Map<String, String> row = new HashMap<>();
    row.put("file_name", file);
    row.put("line_number", line);
    row.put("column_name", column);
    row.put("column_type", "int8      ");
    row.put("position", "0");
    row.put("error_message", message);
    return row;
  }
}
