package dev.mbl.sql;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A column of a target table as the warehouse describes it: its name and its type name
 * (for example {@code int8}, {@code varchar}, {@code timestamp}, {@code super}).
 */
public record Column(Identifier name, String typeName) {
  /** Types Redshift cannot sort or compare, so they never take part in a tie break. */
  private static final Set<String> UNORDERABLE =
      Set.of("super", "geometry", "geography", "hllsketch", "varbyte", "varbinary", "binary varying");

  public Column {
    Objects.requireNonNull(name, "name");
    typeName = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
  }

  public static Column of(String name, String typeName) {
    return new Column(Identifier.of(name), typeName);
  }

  /** Whether ORDER BY may use this column. */
  public boolean orderable() {
    return !UNORDERABLE.contains(typeName);
  }
}
