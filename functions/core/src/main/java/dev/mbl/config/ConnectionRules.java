package dev.mbl.config;

import static dev.mbl.config.ConfigDocument.CLUSTER;
import static dev.mbl.config.ConfigDocument.DB_NAME;
import static dev.mbl.config.ConfigDocument.DB_USER;
import static dev.mbl.config.ConfigDocument.IDENTIFIER;
import static dev.mbl.config.ConfigDocument.ROLE_ARN;
import static dev.mbl.config.ConfigDocument.SECRET_ARN;
import static dev.mbl.config.ConfigDocument.WORKGROUP_NAME;

import dev.mbl.config.ConfigDocument.Cluster;
import dev.mbl.sql.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Validates where and as whom a config connects: the cluster section and the COPY role. */
final class ConnectionRules {
  private static final String DEFAULT_ROLE = "default";

  private static final Pattern ROLE_ARN_PATTERN =
      Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[A-Za-z0-9+=.@_/-]{1,512}");
  private static final Pattern SECRET_ARN_PATTERN =
      Pattern.compile("arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}");
  // Redshift stores both names in lower case; mixed case is accepted and folded so that one table
  // never gets two table keys (and with them two locks).
  private static final Pattern CLUSTER_ID =
      Pattern.compile("(?!.*--)[a-z][a-z0-9-]{0,62}(?<!-)", Pattern.CASE_INSENSITIVE);
  private static final Pattern WORKGROUP = Pattern.compile("[a-z0-9-]{3,64}", Pattern.CASE_INSENSITIVE);
  private static final Pattern DB_USER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@+$-]{0,127}");

  private ConnectionRules() {}

  static WarehouseTarget target(Cluster cluster, Problems problems) {
    int before = problems.size();
    String identifier = ConfigParser.matching(IDENTIFIER, cluster.identifier(), CLUSTER_ID, "cluster identifier",
        "use 1 to 63 letters, digits and single hyphens, starting with a letter", problems);
    String workgroup = ConfigParser.matching(WORKGROUP_NAME, cluster.workgroupName(), WORKGROUP, "workgroup name",
        "use 3 to 64 letters, digits and hyphens", problems);
    if (cluster.identifier() != null && cluster.workgroupName() != null) {
      problems.add(CLUSTER, "both identifier and workgroup_name are given",
          "keep identifier for a provisioned cluster or workgroup_name for Redshift Serverless");
    } else if (cluster.identifier() == null && cluster.workgroupName() == null) {
      problems.add(IDENTIFIER, "missing",
          "give identifier (a provisioned cluster) or workgroup_name (Redshift Serverless)");
    }
    Identifier database = cluster.dbName() == null ? null
        : ConfigParser.identifier(DB_NAME, cluster.dbName(), "'dev'", problems);
    String dbUser = ConfigParser.matching(DB_USER, cluster.dbUser(), DB_USER_NAME, "database user name",
        "use the Redshift user name, e.g. 'loader'", problems);
    String secretArn = ConfigParser.matching(SECRET_ARN, cluster.secretArn(), SECRET_ARN_PATTERN, "Secrets Manager secret ARN",
        "give arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>", problems);
    if (cluster.dbUser() != null && cluster.secretArn() != null) {
      problems.add(CLUSTER, "both db_user and secret_arn are given",
          "keep secret_arn (Secrets Manager) or db_user (temporary credentials), or neither for the "
              + "caller's IAM identity");
    }
    if (cluster.workgroupName() != null && cluster.dbUser() != null) {
      problems.add(DB_USER, "db_user does not apply to a Serverless workgroup",
          "use secret_arn, or leave both out for the caller's IAM identity");
    }
    return problems.size() == before && database != null
        ? new WarehouseTarget(ConfigParser.lower(identifier), ConfigParser.lower(workgroup), database.value(), dbUser, secretArn)
        : null;
  }

  static String iamRole(String value, Problems problems) {
    if (value == null) {
      return null;
    }
    String role = value.strip();
    if (role.equalsIgnoreCase(DEFAULT_ROLE)) {
      return DEFAULT_ROLE;
    }
    String fix = "give arn:aws:iam::<12-digit account>:role/<name>, up to " + ConfigParser.MAX_CHAINED_ROLES
        + " such ARNs separated by commas to chain roles, or \"default\" for the cluster's default role";
    String[] chain = role.split(",", -1);
    if (chain.length > ConfigParser.MAX_CHAINED_ROLES) {
      problems.add(ROLE_ARN, "chains " + chain.length + " roles", fix);
      return null;
    }
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < chain.length; i++) {
      String arn = chain[i].strip();
      if (!ROLE_ARN_PATTERN.matcher(arn).matches()) {
        String which = chain.length > 1 ? "role " + (i + 1) + " of the chain, " : "";
        problems.add(ROLE_ARN, which + "'" + Problems.shown(arn) + "' is not an IAM role ARN", fix);
        return null;
      }
      roles.add(arn);
    }
    return String.join(",", roles);
  }
}
