package dev.mbl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentOptionsTest {
  @TempDir
  Path folder;

  private DeploymentOptions options(Map<String, Object> context) {
    return DeploymentOptions.fromContext(context::get);
  }

  @Test
  void fromContext_defaults_protectTheTrackerAndKeepThirtyDays() {
    Path jar = Synth.placeholderJar(folder);
    DeploymentOptions options = options(Map.of("lambdaJar", jar.toString()));

    assertThat(options.tablesFile()).isEqualTo(Path.of("tables.json"));
    assertThat(options.lambdaJar()).isEqualTo(jar);
    assertThat(options.deletionProtection()).isTrue();
    assertThat(options.retentionDays()).isEqualTo(30);
    assertThat(options.logRetentionDays()).isEqualTo(30);
    assertThat(options.alarmSubscription()).isEmpty();
    assertThat(options.copyRoleArn()).isNull();
    assertThat(options.snapStart()).isTrue();
    assertThat(options.landingExpirationDays()).isZero();
  }

  @Test
  void fromContext_commandLineStrings_areParsed() {
    Map<String, Object> context = new HashMap<>();
    context.put("lambdaJar", Synth.placeholderJar(folder).toString());
    context.put("deletionProtection", "false");
    context.put("retentionDays", "7");
    context.put("logRetentionDays", 90);
    context.put("alarmEmail", "ops@example.com");
    context.put("tables", "prod-tables.json");
    context.put("copyRoleArn", " arn:aws:iam::210987654321:role/mbl-copy ");
    context.put("snapStart", "false");
    context.put("landingExpirationDays", "30");

    DeploymentOptions options = options(context);

    assertThat(options.deletionProtection()).isFalse();
    assertThat(options.retentionDays()).isEqualTo(7);
    assertThat(options.logRetentionDays()).isEqualTo(90);
    assertThat(options.alarmSubscription()).contains("ops@example.com");
    assertThat(options.tablesFile()).isEqualTo(Path.of("prod-tables.json"));
    assertThat(options.copyRoleArn()).isEqualTo("arn:aws:iam::210987654321:role/mbl-copy");
    assertThat(options.snapStart()).isFalse();
    assertThat(options.landingExpirationDays()).isEqualTo(30);
  }

  @Test
  void fromContext_missingJar_saysHowToBuildOrPassIt() {
    assertThatThrownBy(() -> options(Map.of("lambdaJar", folder.resolve("absent.jar").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absent.jar does not exist")
        .hasMessageContaining("mvn -B install -DskipTests")
        .hasMessageContaining("-c lambdaJar=");
  }

  @Test
  void fromContext_badValues_areAllReported() {
    Map<String, Object> context = new HashMap<>();
    context.put("lambdaJar", Synth.placeholderJar(folder).toString());
    context.put("deletionProtection", "yes");
    context.put("retentionDays", "0");
    context.put("logRetentionDays", "10");
    context.put("alarmEmail", "not-an-address");
    context.put("snapStart", "maybe");
    context.put("landingExpirationDays", "-1");

    assertThatThrownBy(() -> options(context))
        .hasMessageContaining("snapStart is 'maybe': use true or false")
        .hasMessageContaining("landingExpirationDays is '-1': use a whole number from 0 to 36500")
        .hasMessageContaining("deletionProtection is 'yes': use true or false")
        .hasMessageContaining("retentionDays is '0'")
        .hasMessageContaining("logRetentionDays is 10: CloudWatch Logs accepts only")
        .hasMessageContaining("alarmEmail 'not-an-address' is not an e-mail address");
  }

  @Test
  void fromContext_copyRoleArn_mustBeARealLookingRole() {
    Map<String, Object> context = new HashMap<>();
    context.put("lambdaJar", Synth.placeholderJar(folder).toString());
    context.put("copyRoleArn", "arn:aws:iam::123456789012:role/redshift-copy");
    assertThatThrownBy(() -> options(context)).hasMessageContaining("is still a placeholder (account 000000000000,");

    context.put("copyRoleArn", "redshift-copy");
    assertThatThrownBy(() -> options(context)).hasMessageContaining("'redshift-copy' is not an IAM role ARN")
        .hasMessageContaining("-c copyRoleArn=arn:aws:iam::<account>:role/");
  }

  @Test
  void copyRole_isTheLastRoleOfAChainAndNoneForDefault() {
    assertThat(MblStack.copyRole("arn:aws:iam::1:role/a")).isEqualTo("arn:aws:iam::1:role/a");
    assertThat(MblStack.copyRole("arn:aws:iam::1:role/a, arn:aws:iam::2:role/b")).isEqualTo("arn:aws:iam::2:role/b");
    assertThat(MblStack.copyRole("DEFAULT")).isNull();
  }
}
