package dev.mbl.infra;

import dev.mbl.tables.PlaceholderRoles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The deployment's knobs, read from CDK context ({@code cdk.json} or {@code -c key=value}).
 *
 * <table>
 *   <caption>context keys</caption>
 *   <tr><td>tables</td><td>the tables file</td><td>{@code tables.json}</td></tr>
 *   <tr><td>lambdaJar</td><td>the shaded handler jar</td><td>the one {@code mbl-lambda-*-lambda.jar} in
 *       {@code ../functions/lambda/target}, or system property {@code mbl.lambda.jar}</td></tr>
 *   <tr><td>deletionProtection</td><td>tracker table deletion protection</td><td>{@code true}</td></tr>
 *   <tr><td>retentionDays</td><td>MBL_RETENTION_DAYS; manifests live 2 days longer</td><td>{@code 30}</td></tr>
 *   <tr><td>logRetentionDays</td><td>CloudWatch Logs retention of the three functions</td><td>{@code 30}</td></tr>
 *   <tr><td>alarmEmail</td><td>an address subscribed to the alarm topic</td><td>none</td></tr>
 *   <tr><td>copyRoleArn</td><td>the COPY role of every config whose {@code copy.role_arn} is a placeholder</td>
 *       <td>none</td></tr>
 *   <tr><td>snapStart</td><td>SnapStart on the published versions</td><td>{@code true}</td></tr>
 *   <tr><td>landingExpirationDays</td><td>days after which the created landing bucket deletes files</td>
 *       <td>none (kept)</td></tr>
 * </table>
 *
 * @param alarmEmail nullable: no subscription when absent
 * @param copyRoleArn nullable: configs keep their own {@code copy.role_arn} when absent
 * @param landingExpirationDays 0 when landing files never expire
 */
public record DeploymentOptions(Path tablesFile, Path lambdaJar, boolean deletionProtection, int retentionDays,
    int logRetentionDays, String alarmEmail, String copyRoleArn, boolean snapStart, int landingExpirationDays) {

  public static final String LAMBDA_JAR_PROPERTY = "mbl.lambda.jar";
  static final Path DEFAULT_JAR_FOLDER = Path.of("..", "functions", "lambda", "target");
  private static final Pattern JAR_NAME = Pattern.compile("mbl-lambda-.+-lambda\\.jar");
  /** The retention periods CloudWatch Logs accepts. */
  static final List<Integer> LOG_RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
      731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  /** An IAM role ARN (a COPY role; a chain is several, comma-separated). */
  static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");

  public DeploymentOptions {
    Objects.requireNonNull(tablesFile, "tablesFile");
    Objects.requireNonNull(lambdaJar, "lambdaJar");
  }

  public Optional<String> alarmSubscription() {
    return Optional.ofNullable(alarmEmail);
  }

  /**
   * Reads the options from {@code context} (a node's {@code tryGetContext}); one exception lists
   * every bad value.
   */
  public static DeploymentOptions fromContext(Function<String, Object> context) {
    List<String> problems = new ArrayList<>();
    Path tables = Path.of(text(context, "tables", "tables.json"));
    boolean deletionProtection = bool(context, "deletionProtection", true, problems);
    int retention = whole(context, "retentionDays", 30, 1, 3650, problems);
    int logRetention = whole(context, "logRetentionDays", 30, 1, 3653, problems);
    if (!LOG_RETENTION_DAYS.contains(logRetention)) {
      problems.add("logRetentionDays is " + logRetention + ": CloudWatch Logs accepts only " + LOG_RETENTION_DAYS);
      logRetention = 30;
    }
    String email = text(context, "alarmEmail", null);
    if (email != null && (email.isBlank() || !EMAIL.matcher(email).matches())) {
      problems.add("alarmEmail '" + email + "' is not an e-mail address; fix: -c alarmEmail=ops@example.com, or leave it out");
    }
    String copyRole = text(context, "copyRoleArn", null);
    if (copyRole != null) {
      copyRole = copyRole.trim();
      for (String role : copyRole.split(",")) {
        if (!ROLE_ARN.matcher(role.trim()).matches()) {
          problems.add("copyRoleArn '" + copyRole + "' is not an IAM role ARN (or a comma-separated chain of them); "
              + "fix: -c copyRoleArn=arn:aws:iam::<account>:role/<the role Redshift's COPY assumes>");
        } else if (PlaceholderRoles.isPlaceholder(role.trim())) {
          problems.add("copyRoleArn '" + copyRole + "' is still a placeholder (account "
              + PlaceholderRoles.describeAccounts() + "); fix: the ARN of a role that exists in your account");
        }
      }
    }
    boolean snapStart = bool(context, "snapStart", true, problems);
    int landingExpiration = whole(context, "landingExpirationDays", 0, 0, 36500, problems);
    Path jar = lambdaJar(context, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the CDK context is invalid:\n  - " + String.join("\n  - ", problems));
    }
    return new DeploymentOptions(tables, jar, deletionProtection, retention, logRetention,
        email == null || email.isBlank() ? null : email, copyRole, snapStart, landingExpiration);
  }

  private static Path lambdaJar(Function<String, Object> context, List<String> problems) {
    String given = text(context, "lambdaJar", System.getProperty(LAMBDA_JAR_PROPERTY));
    if (given != null) {
      Path jar = Path.of(given);
      if (!Files.isRegularFile(jar)) {
        problems.add("lambda jar " + jar.toAbsolutePath() + " does not exist; fix: build it with "
            + "`mvn -B install -DskipTests` in the repository root, or pass -c lambdaJar=<path to mbl-lambda-*-lambda.jar>");
      }
      return jar;
    }
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(DEFAULT_JAR_FOLDER)) {
      try (var files = Files.list(DEFAULT_JAR_FOLDER)) {
        files.filter(f -> JAR_NAME.matcher(f.getFileName().toString()).matches()).forEach(found::add);
      } catch (java.io.IOException unreadable) {
        problems.add("cannot list " + DEFAULT_JAR_FOLDER.toAbsolutePath() + ": " + unreadable.getMessage());
      }
    }
    if (found.size() != 1) {
      problems.add((found.isEmpty() ? "no" : found.size()) + " mbl-lambda-*-lambda.jar in "
          + DEFAULT_JAR_FOLDER.toAbsolutePath().normalize() + "; fix: build it with `mvn -B install -DskipTests` in "
          + "the repository root (run cdk from infra/), or pass -c lambdaJar=<path>");
      return DEFAULT_JAR_FOLDER.resolve("mbl-lambda-lambda.jar");
    }
    return found.get(0);
  }

  private static String text(Function<String, Object> context, String key, String fallback) {
    Object value = context.apply(key);
    return value == null ? fallback : value.toString();
  }

  private static boolean bool(Function<String, Object> context, String key, boolean fallback, List<String> problems) {
    Object value = context.apply(key);
    if (value == null) {
      return fallback;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    problems.add(key + " is '" + text + "': use true or false");
    return fallback;
  }

  private static int whole(Function<String, Object> context, String key, int fallback, int min, int max,
      List<String> problems) {
    Object value = context.apply(key);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = new java.math.BigDecimal(value.toString().trim()).intValueExact();
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException | ArithmeticException notWhole) {
      // reported below
    }
    problems.add(key + " is '" + value + "': use a whole number from " + min + " to " + max);
    return fallback;
  }
}
