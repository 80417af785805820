package dev.mbl.config;

/**
 * Where a table lives and how the Data API authenticates to it.
 *
 * <p>Exactly one of {@code clusterIdentifier} (provisioned) and {@code workgroupName}
 * (Serverless) is set. For a provisioned cluster at most one of {@code dbUser} and
 * {@code secretArn} is set; with neither, the Data API uses the caller's IAM identity.
 * A workgroup takes {@code secretArn} or nothing. Nullable fields are null when absent.
 */
public record WarehouseTarget(
    String clusterIdentifier, String workgroupName, String database, String dbUser, String secretArn) {

  public WarehouseTarget {
    boolean cluster = clusterIdentifier != null;
    boolean workgroup = workgroupName != null;
    if (cluster == workgroup) {
      throw new IllegalArgumentException(
          "give exactly one of cluster identifier and workgroup name (got "
              + (cluster ? "both" : "neither") + ")");
    }
    if (database == null || database.isBlank()) {
      throw new IllegalArgumentException("database name is missing");
    }
    if (dbUser != null && secretArn != null) {
      throw new IllegalArgumentException("give at most one of db_user and secret_arn");
    }
    if (workgroup && dbUser != null) {
      throw new IllegalArgumentException("db_user does not apply to a Serverless workgroup: use secret_arn or IAM");
    }
  }

  public static WarehouseTarget cluster(String identifier, String database) {
    return new WarehouseTarget(identifier, null, database, null, null);
  }

  public static WarehouseTarget workgroup(String name, String database) {
    return new WarehouseTarget(null, name, database, null, null);
  }

  /** The cluster identifier or the workgroup name, whichever is set. */
  public String warehouseName() {
    return clusterIdentifier != null ? clusterIdentifier : workgroupName;
  }

  public boolean serverless() {
    return workgroupName != null;
  }
}
