package dev.mbl.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * COPY roles that cannot deploy: the example accounts of AWS's documentation, as in the shipped
 * samples. The stack names each COPY role as a principal in a bucket policy, and S3 rejects a
 * policy whose principal does not exist ("Invalid principal in policy"): the first deploy rolls
 * back and leaves the retained tracker and buckets behind. So synth replaces a placeholder role
 * with the {@code copyRoleArn} context value, or fails naming the field.
 */
public final class PlaceholderRoles {
  /** Account ids AWS's documentation uses in examples; no real role lives there. */
  static final Set<String> ACCOUNTS = Set.of("123456789012", "111122223333", "444455556666", "000000000000");
  private static final String FIELD = "$.copy.role_arn";

  private PlaceholderRoles() {}

  /** Whether {@code roleArn} (one role, not a chain) is in an example account. */
  public static boolean isPlaceholder(String roleArn) {
    String[] parts = roleArn.split(":");
    return parts.length > 4 && ACCOUNTS.contains(parts[4]);
  }

  public static String describeAccounts() {
    return String.join(", ", new TreeSet<>(ACCOUNTS));
  }

  /**
   * The config with a placeholder {@code copy.role_arn} (any role of a chain) replaced by
   * {@code copyRoleArn}; unchanged when it names no placeholder or is not JSON (the parser reports
   * that). Without {@code copyRoleArn}, a placeholder adds a problem naming {@code configPath}.
   *
   * @param copyRoleArn nullable: no replacement
   * @return the bytes to parse and upload
   */
  static byte[] resolve(ObjectMapper json, byte[] config, String configPath, String copyRoleArn,
      List<String> problems) {
    JsonNode root;
    try {
      root = json.readTree(config);
    } catch (IOException malformed) {
      return config;
    }
    JsonNode role = root == null ? null : root.path("copy").path("role_arn");
    if (role == null || !role.isTextual()
        || Arrays.stream(role.asText().split(",")).map(String::trim).noneMatch(PlaceholderRoles::isPlaceholder)) {
      return config;
    }
    if (copyRoleArn == null) {
      problems.add(configPath + " -> " + FIELD + ": '" + role.asText() + "' is a placeholder (AWS's example "
          + "account): S3 rejects a bucket policy naming it (\"Invalid principal in policy\") and the first deploy "
          + "rolls back, leaving the retained tracker and buckets behind; fix: pass the real COPY role with "
          + "-c copyRoleArn=arn:aws:iam::<account>:role/<role> (it replaces every placeholder role), or write it "
          + "into " + FIELD);
      return config;
    }
    ((ObjectNode) root.get("copy")).put("role_arn", copyRoleArn);
    try {
      return json.writeValueAsBytes(root);
    } catch (IOException unreachable) {
      throw new IllegalStateException("config JSON could not be written back", unreachable);
    }
  }
}
