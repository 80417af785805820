package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TransactionRules}: which statements Redshift refuses where ("SVL_MULTI_STATEMENT_VIOLATIONS"). */
class TransactionRulesTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "VACUUM orders|VACUUM",
      "vacuum delete only orders|VACUUM",
      "ALTER TABLE s.orders APPEND FROM s.staged|ALTER TABLE APPEND",
      "ALTER TABLE orders ALTER COLUMN note TYPE VARCHAR(300)|ALTER TABLE ALTER COLUMN",
      "ALTER TABLE orders ALTER note TYPE VARCHAR(300)|ALTER TABLE ALTER COLUMN",
      "CREATE EXTERNAL TABLE spectrum.t (a INT) LOCATION 's3://b/'|CREATE EXTERNAL TABLE",
      "DROP EXTERNAL SCHEMA spectrum|DROP EXTERNAL SCHEMA",
      "CREATE DATABASE other|CREATE DATABASE",
      "DROP LIBRARY lib|DROP LIBRARY"})
  void notInTransactionBlock_restrictedStatement_namesIt(String sql, String command) {
    assertThat(TransactionRules.notInTransactionBlock(sql)).contains(command);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ALTER TABLE orders ADD COLUMN x INT", "ALTER TABLE orders ALTER COLUMN c ENCODE zstd",
      "CREATE TABLE vacuum_log (id INT)", "SELECT 'VACUUM'", "TRUNCATE orders", "ANALYZE orders"})
  void notInTransactionBlock_otherStatement_isAllowed(String sql) {
    assertThat(TransactionRules.notInTransactionBlock(sql)).isEmpty();
  }

  @Test
  void commits_onlyTruncate() {
    assertThat(TransactionRules.commits("truncate table orders")).isTrue();
    assertThat(TransactionRules.commits("DELETE FROM orders")).isFalse();
  }

  /** "System monitoring (provisioned only)": STL, STV, SVCS and SVL views. */
  @Test
  void systemView_findsStlAndFriendsButNotSys() {
    assertThat(TransactionRules.systemView("SELECT * FROM STL_LOAD_ERRORS WHERE query = 1"))
        .contains("stl_load_errors");
    assertThat(TransactionRules.systemView("SELECT * FROM pg_catalog.svl_statementtext")).contains("svl_statementtext");
    assertThat(TransactionRules.systemView("SELECT * FROM sys_load_error_detail")).isEmpty();
    assertThat(TransactionRules.systemView("SELECT 'stl_load_errors'")).isEmpty();
  }

  @Test
  void statementTimeout_readsTheSetting() {
    assertThat(TransactionRules.statementTimeout("SET statement_timeout TO 50")).contains(50L);
    assertThat(TransactionRules.statementTimeout("set statement_timeout = '1000';")).contains(1000L);
    assertThat(TransactionRules.statementTimeout("SET query_group TO 'x'")).isEqualTo(Optional.empty());
  }
}
