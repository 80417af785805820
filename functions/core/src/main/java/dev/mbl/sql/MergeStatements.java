package dev.mbl.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The merge part of a batch: keep one staged row per key (the latest, ties broken by every other
 * loaded orderable column; identity and default values are made up by the staging table, so they
 * never decide), drop staged rows older than the existing row, then replace existing rows by
 * key. Rows with a NULL in any key column are never deduplicated nor matched: they are appended.
 */
final class MergeStatements {
  private static final String RANK = Identifier.of("mbl_rn").quoted();
  private static final String RANKED = Identifier.of("mbl_ranked").quoted();

  private final BatchSqlBuilder.Names names;
  private final List<Column> columns;
  private final List<Identifier> keys;
  private final Optional<Identifier> timestamp;

  MergeStatements(BatchSqlBuilder.Names names, List<Column> columns, List<Identifier> keys,
      Optional<Identifier> timestamp) {
    this.names = names;
    this.columns = columns;
    this.keys = keys;
    this.timestamp = timestamp;
  }

  List<String> statements() {
    String target = names.target();
    String latest = names.latest();
    List<String> statements = new ArrayList<>();
    // INCLUDING DEFAULTS: columns the files do not carry get their default or identity here too.
    statements.add(BatchSqlBuilder.createLike(latest, target));
    statements.add(keepLatestStaged());
    timestamp.ifPresent(t -> statements.add(dropOlderThanExisting(t)));
    statements.add("DELETE FROM " + target + " USING " + latest + " WHERE " + keysMatch(target, latest));
    statements.add("INSERT INTO " + target + " (" + names.columns() + ") SELECT " + names.columns()
        + " FROM " + latest);
    return statements;
  }

  private String keepLatestStaged() {
    List<String> order = new ArrayList<>();
    timestamp.ifPresent(t -> order.add(t.quoted() + " DESC NULLS LAST"));
    for (Column column : columns) {
      boolean merging = keys.contains(column.name()) || timestamp.filter(column.name()::equals).isPresent();
      if (column.orderable() && !merging) {
        order.add(column.name().quoted() + " DESC NULLS LAST");
      }
    }
    // Without an ORDER BY the pick among duplicates is arbitrary; that only happens when every
    // non-key column is unorderable, where no deterministic order exists to choose by.
    String window = "PARTITION BY " + BatchSqlBuilder.join(keys, Identifier::quoted)
        + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order));
    String nullKey = keys.stream().map(k -> " OR " + k.quoted() + " IS NULL").collect(Collectors.joining());
    return "INSERT INTO " + names.latest() + " (" + names.columns() + ") SELECT " + names.columns()
        + " FROM (SELECT " + names.columns() + ", ROW_NUMBER() OVER (" + window + ") AS " + RANK
        + " FROM " + names.stage() + ") AS " + RANKED + " WHERE " + RANK + " = 1" + nullKey;
  }

  /** A staged row loses to an existing one with a later timestamp; NULL is older than any value. */
  private String dropOlderThanExisting(Identifier t) {
    String latest = names.latest();
    String target = names.target();
    String staged = latest + "." + t.quoted();
    String existing = target + "." + t.quoted();
    return "DELETE FROM " + latest + " USING " + target + " WHERE " + keysMatch(latest, target)
        + " AND ((" + staged + " IS NULL AND " + existing + " IS NOT NULL) OR " + staged + " < " + existing + ")";
  }

  private String keysMatch(String left, String right) {
    return keys.stream()
        .map(k -> left + "." + k.quoted() + " = " + right + "." + k.quoted())
        .collect(Collectors.joining(" AND "));
  }
}
