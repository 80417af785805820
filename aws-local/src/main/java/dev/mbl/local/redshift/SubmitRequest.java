package dev.mbl.local.redshift;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An ExecuteStatement or BatchExecuteStatement request, validated as the Data API does. Nullable
 * fields are null when the request leaves them out.
 *
 * @param sqls the statements, 1 to 40, at most 100,000 UTF-8 bytes together
 * @param batch whether it came from BatchExecuteStatement
 * @param parameters {@code :name} parameters in request order (empty when none)
 */
record SubmitRequest(List<String> sqls, boolean batch, String clusterIdentifier, String workgroupName,
    String database, String dbUser, String secretArn, String statementName, boolean withEvent,
    Map<String, String> parameters, String clientToken) {

  /** The most statements one BatchExecuteStatement may carry. */
  static final int MAX_SQLS = 40;
  /** The most bytes the statements of one request may have together. */
  static final int MAX_SQL_BYTES = 100_000;
  private static final Pattern CLUSTER = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern WORKGROUP = Pattern.compile("[a-z0-9-]{3,63}|arn:aws(-[a-z]+)*:redshift-serverless:"
      + "[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d:\\d{12}:workgroup/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
  private static final Pattern PARAMETER = Pattern.compile("[0-9A-Za-z_]+");

  /** @throws DataApiException a ValidationException naming the bad field */
  SubmitRequest {
    String field = batch ? "sqls" : "sql";
    if (sqls == null || sqls.isEmpty() || sqls.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw DataApiException.validation((batch ? "Sqls" : "Sql") + " is required and its statements must not be "
          + "empty");
    }
    sqls = List.copyOf(sqls);
    if (sqls.size() > MAX_SQLS) {
      throw DataApiException.validation("1 validation error detected: Value at '" + field + "' failed to satisfy "
          + "constraint: Member must have length less than or equal to " + MAX_SQLS);
    }
    long bytes = sqls.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
    if (bytes > MAX_SQL_BYTES) {
      throw DataApiException.validation("The SQL statements are " + bytes + " bytes; the Data API accepts at most "
          + MAX_SQL_BYTES + " bytes (100 KB) in one request");
    }
    if ((clusterIdentifier == null) == (workgroupName == null)) {
      throw DataApiException.validation(clusterIdentifier == null
          ? "Either ClusterIdentifier or WorkgroupName must be specified"
          : "ClusterIdentifier and WorkgroupName are mutually exclusive: give one of them");
    }
    if (clusterIdentifier != null && (clusterIdentifier.length() > 63 || !CLUSTER.matcher(clusterIdentifier).matches())) {
      throw DataApiException.validation("1 validation error detected: Value '" + clusterIdentifier + "' at "
          + "'clusterIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: "
          + CLUSTER.pattern());
    }
    if (workgroupName != null && !WORKGROUP.matcher(workgroupName).matches()) {
      throw DataApiException.validation("1 validation error detected: Value '" + workgroupName + "' at "
          + "'workgroupName' failed to satisfy constraint: Member must be a workgroup name (3 to 63 of a-z, 0-9, -) "
          + "or a workgroup ARN");
    }
    if (dbUser != null && (secretArn != null || workgroupName != null)) {
      throw DataApiException.validation(secretArn != null ? "DbUser and SecretArn are mutually exclusive"
          : "DbUser is not supported for a serverless workgroup: use SecretArn or IAM credentials");
    }
    if (database == null || database.isBlank()) {
      throw DataApiException.validation("Database is required");
    }
    if (statementName != null && statementName.length() > 2048) {
      throw DataApiException.validation("StatementName is longer than 2048 characters");
    }
    if (clientToken != null && (clientToken.isEmpty() || clientToken.length() > 64)) {
      throw DataApiException.validation("ClientToken must be 1 to 64 characters");
    }
    parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      if (!PARAMETER.matcher(parameter.getKey()).matches() || parameter.getValue() == null) {
        throw DataApiException.validation("Parameter '" + parameter.getKey() + "' needs a name of letters, digits "
            + "and '_' and a value");
      }
    }
  }

  /** The cluster identifier or the workgroup name, whichever is set. */
  String warehouse() {
    return clusterIdentifier != null ? clusterIdentifier : workgroupName;
  }
}
