package dev.mbl.settings;

/**
 * The environment variables the handlers read, shared with the deployment (the CDK stack sets
 * exactly these), so the two cannot drift apart.
 */
public final class SettingNames {
  /** Required: the DynamoDB tracker table. */
  public static final String TRACKER_TABLE = "MBL_TRACKER_TABLE";
  /** Required: the bucket holding per-queue configs. */
  public static final String CONFIG_BUCKET = "MBL_CONFIG_BUCKET";
  /** Key prefix of configs: a queue named q reads {prefix}q.json. Default "config/". */
  public static final String CONFIG_PREFIX = "MBL_CONFIG_PREFIX";
  /** Bucket for COPY manifests. Default: the config bucket. */
  public static final String MANIFEST_BUCKET = "MBL_MANIFEST_BUCKET";
  /** Key prefix of manifests. Default "manifests/". */
  public static final String MANIFEST_PREFIX = "MBL_MANIFEST_PREFIX";
  /** Days ledger, work and batch items are kept (DynamoDB TTL). Default 30. */
  public static final String RETENTION_DAYS = "MBL_RETENTION_DAYS";
  /** Seconds a config or a table's columns stay cached in one instance. Default 300. */
  public static final String CACHE_SECONDS = "MBL_CACHE_SECONDS";
  /** Seconds a running batch holds its lock before it is checked. Default 900. */
  public static final String RUNNING_LEASE_SECONDS = "MBL_RUNNING_LEASE_SECONDS";
  /** Seconds a loader may take from lock to submission. Default 120. */
  public static final String START_LEASE_SECONDS = "MBL_START_LEASE_SECONDS";
  /** Seconds between the reconciler's checks of a running statement. Default 120. */
  public static final String CHECK_RUNNING_SECONDS = "MBL_CHECK_RUNNING_SECONDS";
  /** First retry back-off in seconds after a transient failure. Default 30. */
  public static final String RETRY_BASE_SECONDS = "MBL_RETRY_BASE_SECONDS";
  /** Longest retry back-off in seconds. Default 900. */
  public static final String RETRY_MAX_SECONDS = "MBL_RETRY_MAX_SECONDS";
  /** Seconds files wait after a setup error. Default 300. */
  public static final String SETUP_PAUSE_SECONDS = "MBL_SETUP_PAUSE_SECONDS";
  /** The region mbl runs in; Lambda sets it. Manifests are written there, so a COPY REGION must name it. */
  public static final String AWS_REGION = "AWS_REGION";

  private SettingNames() {}
}
