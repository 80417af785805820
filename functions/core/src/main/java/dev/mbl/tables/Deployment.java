package dev.mbl.tables;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything the tables file describes: the tables, and the ARNs of the Serverless workgroups they
 * use (a workgroup ARN holds the workgroup's id, which the config's name alone does not give).
 */
public record Deployment(List<TableSpec> tables, Map<String, String> workgroupArns) {
  public Deployment {
    tables = List.copyOf(Objects.requireNonNull(tables, "tables"));
    workgroupArns = Map.copyOf(Objects.requireNonNull(workgroupArns, "workgroupArns"));
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("a deployment needs at least one table");
    }
  }

  /** Every distinct statement prefix, sorted: one status-change pattern each. */
  public SortedSet<String> statementPrefixes() {
    SortedSet<String> prefixes = new TreeSet<>();
    tables.forEach(t -> prefixes.add(t.config().statementPrefix()));
    return prefixes;
  }

  /** Whether any table lands in the bucket the stack creates. */
  public boolean createsLandingBucket() {
    return tables.stream().anyMatch(t -> t.landing().create());
  }
}
