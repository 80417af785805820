package dev.mbl.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTokenTest {
  private static final String BATCH = "01M80KKXM8A6V51FK8QHRFRW5F";

  @Test
  void clientToken_sameBatchSameTable_isStable() {
    TableKey table = TableKey.parse("analytics/dev/public.orders");

    assertThat(LoadCoordinator.clientToken(table, BATCH)).isEqualTo(LoadCoordinator.clientToken(table, BATCH))
        .startsWith(BATCH + "-").hasSize(BATCH.length() + 1 + 16);
  }

  @Test
  void clientToken_sameBatchIdOnTwoTables_differs() {
    assertThat(LoadCoordinator.clientToken(TableKey.parse("analytics/dev/public.orders"), BATCH))
        .isNotEqualTo(LoadCoordinator.clientToken(TableKey.parse("analytics/dev/public.clicks"), BATCH));
  }

  @Test
  void clientToken_fitsTheDataApiLimit() {
    assertThat(LoadCoordinator.clientToken(TableKey.parse("w/d/s.t"), BATCH).length()).isLessThanOrEqualTo(64);
  }

  @Test
  void diagnosisClientToken_differsFromTheBatchsAndFitsTheLimit() {
    TableKey table = TableKey.parse("analytics/dev/public.orders");

    assertThat(BatchDiagnosis.clientToken(table, BATCH)).isNotEqualTo(LoadCoordinator.clientToken(table, BATCH))
        .startsWith(LoadCoordinator.clientToken(table, BATCH)).hasSizeLessThanOrEqualTo(64);
  }
}
