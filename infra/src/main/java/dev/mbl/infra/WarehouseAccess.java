package dev.mbl.infra;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.tables.Deployment;
import dev.mbl.tables.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The Data API and warehouse-authentication grants, derived from the parsed table configs: each
 * cluster or workgroup, database, database user and secret that a config names, and nothing else.
 */
public final class WarehouseAccess {
  /** Sid of the one statement with Resource "*": DescribeStatement and ListStatements take no resource. */
  public static final String OWN_STATEMENTS_SID = "DataApiOwnStatements";
  public static final String OWNER_CONDITION_KEY = "redshift-data:statement-owner-iam-userid";
  // A complete secret ARN ends with '-' and six random characters; a partial one (name only) does not.
  private static final Pattern COMPLETE_SECRET_ARN = Pattern.compile(".*:secret:.+-[A-Za-z0-9]{6}");

  private WarehouseAccess() {}

  /** The statements {@code role} needs to load every table of {@code deployment}. */
  public static List<PolicyStatement> statements(Stack stack, Deployment deployment, Role role) {
    Set<String> warehouses = new TreeSet<>();
    Set<String> dbUserResources = new TreeSet<>();
    Set<String> iamDatabaseResources = new TreeSet<>();
    Set<String> serverlessCredentials = new TreeSet<>();
    Set<String> secrets = new TreeSet<>();
    for (TableSpec table : deployment.tables()) {
      WarehouseTarget target = table.config().target();
      if (target.serverless()) {
        String workgroup = deployment.workgroupArns().get(target.workgroupName());
        warehouses.add(workgroup);
        if (target.secretArn() == null) {
          serverlessCredentials.add(workgroup);
        }
      } else {
        String cluster = target.clusterIdentifier();
        warehouses.add(redshiftArn(stack, "cluster", cluster));
        if (target.dbUser() != null) {
          dbUserResources.add(redshiftArn(stack, "dbuser", cluster + "/" + target.dbUser()));
          dbUserResources.add(redshiftArn(stack, "dbname", cluster + "/" + target.database()));
        } else if (target.secretArn() == null) {
          iamDatabaseResources.add(redshiftArn(stack, "dbname", cluster + "/" + target.database()));
        }
      }
      if (target.secretArn() != null) {
        secrets.add(COMPLETE_SECRET_ARN.matcher(target.secretArn()).matches()
            ? target.secretArn() : target.secretArn() + "-??????");
      }
    }
    List<PolicyStatement> statements = new ArrayList<>();
    statements.add(allow("DataApiSubmit", List.of("redshift-data:BatchExecuteStatement",
        "redshift-data:ExecuteStatement", "redshift-data:DescribeTable"),
        warehouses));
    // ExecuteStatement runs the load-error diagnosis of a failed batch; GetStatementResult reads it.
    // DescribeStatement, GetStatementResult and ListStatements cannot be scoped to a resource. AWS's documented
    // condition limits them to statements the caller owns. "${aws:userid}" is the calling
    // session (role id:function name); the three functions share one role but each has its own
    // session, so the role id (any session of THIS role) is allowed too: NextLoader settles
    // statements MicrobatchLoader submitted. No other principal's statements are visible.
    statements.add(PolicyStatement.Builder.create().sid(OWN_STATEMENTS_SID).effect(Effect.ALLOW)
        .actions(List.of("redshift-data:DescribeStatement", "redshift-data:GetStatementResult",
            "redshift-data:ListStatements"))
        .resources(List.of("*"))
        .conditions(Map.of("StringLike", Map.of(OWNER_CONDITION_KEY,
            List.of("${aws:userid}", role.getRoleId(), role.getRoleId() + ":*"))))
        .build());
    if (!dbUserResources.isEmpty()) {
      statements.add(allow("ClusterCredentialsAsDbUser", List.of("redshift:GetClusterCredentials"), dbUserResources));
    }
    if (!iamDatabaseResources.isEmpty()) {
      statements.add(allow("ClusterCredentialsAsRole", List.of("redshift:GetClusterCredentialsWithIAM"),
          iamDatabaseResources));
    }
    if (!serverlessCredentials.isEmpty()) {
      statements.add(allow("WorkgroupCredentials", List.of("redshift-serverless:GetCredentials"), serverlessCredentials));
    }
    if (!secrets.isEmpty()) {
      statements.add(allow("WarehouseSecrets", List.of("secretsmanager:GetSecretValue"), secrets));
    }
    return statements;
  }

  private static PolicyStatement allow(String sid, List<String> actions, Set<String> resources) {
    return PolicyStatement.Builder.create().sid(sid).effect(Effect.ALLOW).actions(actions)
        .resources(List.copyOf(resources)).build();
  }

  private static String redshiftArn(Stack stack, String type, String name) {
    return stack.formatArn(ArnComponents.builder().service("redshift").resource(type).resourceName(name)
        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
  }
}
