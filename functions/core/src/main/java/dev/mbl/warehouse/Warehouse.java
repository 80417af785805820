package dev.mbl.warehouse;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.sql.Column;
import dev.mbl.sql.TableName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Redshift side of a load, as mbl needs it. */
public interface Warehouse {
  /**
   * Submits {@code sql} as one transaction that reports its end as an event.
   *
   * @param clientToken makes a retried submission return the first one's statement
   * @return the statement id
   * @throws StatementRejectedException when the service refused it (nothing runs)
   * @throws SubmitOutcomeUnknownException when it is unknown whether it was accepted
   */
  String submitBatch(WarehouseTarget target, List<String> sql, String statementName, String clientToken);

  /**
   * Submits one read-only query that reports its end as an event (the diagnosis of a failed batch).
   *
   * @param clientToken makes a retried submission return the first one's statement
   * @return the statement id
   * @throws StatementRejectedException when the service refused it (nothing runs)
   * @throws SubmitOutcomeUnknownException when it is unknown whether it was accepted
   */
  String submitQuery(WarehouseTarget target, String sql, String statementName, String clientToken);

  /**
   * Every row of a FINISHED query, each a map from column name to the value as text (null for
   * SQL NULL), in result order.
   *
   * @throws StatementRejectedException when the service refuses to return them (e.g. access denied)
   */
  List<Map<String, String>> results(String statementId);

  /** The statement's state and, when failed, Redshift's error text; empty when the service forgot it. */
  Optional<StatementStatus> describe(String statementId);

  /** The newest statement named exactly {@code statementName}, if the service still lists it. */
  Optional<StatementStatus> findByName(WarehouseTarget target, String statementName);

  /** The table's columns in table order; empty when the table does not exist. */
  List<Column> describeTable(WarehouseTarget target, TableName table);
}
