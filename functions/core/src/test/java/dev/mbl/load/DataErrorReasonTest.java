package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataErrorReasonTest {
  private static final TableKey TABLE = TableKey.parse("analytics/dev/public.orders");
  private static final String ERROR =
      "ERROR: Load into table 'mbl_stage_01m8' failed. Check 'stl_load_errors' system table for details.";

  @Test
  void dataErrorReason_withFile_namesTargetErrorAndAQueryThatWorksOnServerlessAndProvisioned() {
    String reason = Settlement.dataErrorReason(TABLE, "s3://landing/orders/o'brien.csv", ERROR);

    assertThat(reason).isEqualTo("Redshift could not load s3://landing/orders/o'brien.csv into public.orders: "
        + ERROR + " Failing rows: SELECT line_number, TRIM(column_name) AS column_name,"
        + " TRIM(column_type) AS column_type, position, TRIM(error_message) AS error_message, start_time"
        + " FROM sys_load_error_detail"
        + " WHERE TRIM(file_name) = 's3://landing/orders/o''brien.csv' ORDER BY start_time DESC;");
  }

  @Test
  void dataErrorReason_fileUnknown_namesTargetAndError() {
    assertThat(Settlement.dataErrorReason(TABLE, null, ERROR))
        .isEqualTo("Redshift could not load this file into public.orders: " + ERROR);
  }
}
