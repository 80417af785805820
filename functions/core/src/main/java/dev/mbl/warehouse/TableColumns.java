package dev.mbl.warehouse;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.sql.Column;
import dev.mbl.sql.TableName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The columns of target tables, asked of the warehouse once per table and kept by this instance
 * for a while (bounded, expiring), since every batch's SQL names them.
 */
public final class TableColumns {
  private static final int MAX_ENTRIES = 256;
  private final Warehouse warehouse;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  public TableColumns(Warehouse warehouse, Clock clock, Duration ttl) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  /** The table's columns; never empty (a missing table is an error naming it). */
  public List<Column> of(WarehouseTarget target, TableName table) {
    String key = target.warehouseName() + "/" + target.database() + "/" + table;
    Instant now = clock.instant();
    synchronized (cache) {
      Entry hit = cache.get(key);
      if (hit != null && now.isBefore(hit.expires())) {
        return hit.columns();
      }
    }
    List<Column> columns = warehouse.describeTable(target, table);
    if (columns.isEmpty()) {
      throw new TableNotFoundException("table " + table + " does not exist in " + target.warehouseName() + "/"
          + target.database() + " (or the database user cannot see it): create it before loading, or fix "
          + "copy.table_name in the config");
    }
    synchronized (cache) {
      cache.put(key, new Entry(List.copyOf(columns), now.plus(ttl)));
    }
    return columns;
  }

  private record Entry(List<Column> columns, Instant expires) {}
}
