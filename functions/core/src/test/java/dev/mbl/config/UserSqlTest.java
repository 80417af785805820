package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** pre_sql / post_sql statements that cannot run inside the batch's one transaction. */
class UserSqlTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // "VACUUM": can't run inside a transaction block.
      "VACUUM public.orders|VACUUM|VACUUM",
      "  vacuum delete only orders to 75 percent|VACUUM|VACUUM",
      "/* tidy */ -- up\\n VACUUM|VACUUM|VACUUM",
      // "Serializable isolation" / "TRUNCATE": TRUNCATE commits the open transaction.
      "TRUNCATE orders|TRUNCATE|TRUNCATE",
      "truncate table \"Orders\"|TRUNCATE|TRUNCATE",
      "BEGIN|BEGIN|Serializable isolation",
      "commit|COMMIT|Serializable isolation",
      "END TRANSACTION|END|Serializable isolation",
      "ROLLBACK|ROLLBACK|Serializable isolation",
      "ABORT|ABORT|Serializable isolation",
      "START TRANSACTION|START|Serializable isolation",
      // "ALTER TABLE APPEND": can't run inside a transaction block.
      "ALTER TABLE orders APPEND FROM staging|ALTER TABLE ... APPEND|ALTER TABLE APPEND",
      "alter table \"s\".\"t\" append from x|ALTER TABLE ... APPEND|ALTER TABLE APPEND",
      // "ALTER TABLE": ALTER COLUMN ... TYPE and external-table clauses can't run inside a transaction block.
      "ALTER TABLE public.orders ALTER COLUMN note TYPE varchar(300)|ALTER TABLE ... ALTER COLUMN ... TYPE|ALTER TABLE",
      "alter table \"Orders\" alter column \"Note\" type varchar(300)|ALTER TABLE ... ALTER COLUMN ... TYPE|ALTER TABLE",
      "ALTER TABLE spectrum.sales ADD IF NOT EXISTS PARTITION (d='2024') LOCATION 's3://b/p'|ALTER TABLE ... ADD IF|ALTER TABLE",
      "ALTER TABLE spectrum.sales SET LOCATION 's3://b/p'|ALTER TABLE ... SET LOCATION|ALTER TABLE",
      // "CREATE EXTERNAL TABLE", "CREATE EXTERNAL SCHEMA", "DROP TABLE" (external), "DROP SCHEMA".
      "CREATE EXTERNAL TABLE spectrum.sales (id int) STORED AS PARQUET LOCATION 's3://b/'|CREATE EXTERNAL TABLE|CREATE EXTERNAL TABLE",
      "create external schema spectrum from data catalog database 'db'|CREATE EXTERNAL SCHEMA|CREATE EXTERNAL SCHEMA",
      "DROP EXTERNAL TABLE spectrum.sales|DROP EXTERNAL TABLE|DROP TABLE",
      "DROP SCHEMA spectrum DROP EXTERNAL DATABASE|DROP SCHEMA ... DROP EXTERNAL DATABASE|DROP SCHEMA",
      // "SVL_MULTI_STATEMENT_VIOLATIONS" lists the rest.
      "CREATE DATABASE other|CREATE DATABASE|SVL_MULTI_STATEMENT_VIOLATIONS",
      "DROP DATABASE other|DROP DATABASE|SVL_MULTI_STATEMENT_VIOLATIONS",
      "CREATE LIBRARY lib LANGUAGE plpythonu FROM 's3://b/l.zip'|CREATE LIBRARY|SVL_MULTI_STATEMENT_VIOLATIONS"})
  void problem_statementThatBreaksTheTransaction_namesStatementAndDocument(String sql, String statement,
      String document) {
    assertThat(UserSql.problem(sql.replace("\\n", "\n"))).hasValueSatisfying(problem -> assertThat(problem)
        .startsWith("the statement " + statement + " ")
        .contains("(\"" + document + "\", Amazon Redshift Database Developer Guide); fix: "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"DELETE FROM orders WHERE note = 'VACUUM'", "LOCK analytics.events",
      "SET query_group TO 'mbl'", "ANALYZE public.orders", "ALTER TABLE orders ADD COLUMN note varchar(10)",
      "ALTER TABLE orders RENAME COLUMN a TO b",
      "ALTER TABLE orders ALTER COLUMN note ENCODE zstd", "UPDATE \"truncate\" SET x = 1", "CALL refresh_rollups()",
      "CREATE TEMP TABLE x (external int)", "INSERT INTO log VALUES ('BEGIN; COMMIT')", "SELECT 1 -- ; VACUUM"})
  void problem_ordinaryStatement_none(String sql) {
    assertThat(UserSql.problem(sql)).isEmpty();
  }

  @Test
  void split_semicolonsInsideLiteralsNamesCommentsAndDollarQuotes_notStatementEnds() {
    assertThat(UserSql.split("SELECT ';'; SELECT \"a;b\" /* ; */ FROM t; CREATE PROCEDURE p() AS $$ BEGIN; END; $$ "
        + "LANGUAGE plpgsql"))
        .containsExactly("SELECT ';'", " SELECT \"a;b\" /* ; */ FROM t", " CREATE PROCEDURE p() AS $$ BEGIN; END; $$ "
            + "LANGUAGE plpgsql");
  }

  @Test
  void statements_secondStatementOfAnEntryVacuums_reportedAtThatEntry() {
    Problems problems = new Problems();

    UserSql.statements(java.util.List.of(new ConfigDocument.Item("$.options.post_sql[0]",
        "DELETE FROM t WHERE x = 1; VACUUM t")), problems);

    assertThat(problems.size()).isEqualTo(1);
    assertThat(problems.toException(ConfigRef.s3("b", "k")).problems()).singleElement().asString()
        .startsWith("$.options.post_sql[0]: the statement VACUUM cannot run inside a transaction block (\"VACUUM\"");
  }
}
