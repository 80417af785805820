package dev.mbl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.config.ConfigParser;
import dev.mbl.config.ConfigRef;
import dev.mbl.config.TableConfig;
import dev.mbl.tables.InvalidTablesException;
import dev.mbl.tables.TableSpec;
import dev.mbl.tables.TablesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/** The example infra/tables.json deploys, with the context flags a developer passes with -c. */
class ShippedTablesTest {
  @TempDir
  static Path work;

  static final String COPY_ROLE = "arn:aws:iam::210987654321:role/mbl-copy";

  static Synth synth;

  @BeforeAll
  static void synthesize() {
    synth = Synth.of(Path.of("tables.json"), work, Map.of("deletionProtection", "false", "retentionDays", "7",
        "alarmEmail", "ops@example.com", "copyRoleArn", COPY_ROLE));
  }

  @Test
  void example_synthesizesWithoutNagErrors() {
    assertThat(synth.deployment().tables()).extracting(TableSpec::name).containsExactly("orders", "clicks");
    assertThat(Annotations.fromStack(synth.stack()).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
        .isEmpty();
  }

  @Test
  void example_withoutCopyRole_failsSynthNamingEveryPlaceholderField() {
    // "Invalid principal in policy": S3 refuses a bucket policy naming a role that does not exist.
    assertThatThrownBy(() -> TablesFile.read(Path.of("tables.json")))
        .isInstanceOf(InvalidTablesException.class)
        .hasMessageContaining("$.tables[0].config_file (../config-samples/orders.json) -> $.copy.role_arn: "
            + "'arn:aws:iam::123456789012:role/redshift-copy' is a placeholder")
        .hasMessageContaining("$.tables[1].config -> $.copy.role_arn: 'arn:aws:iam::123456789012:role/redshift-copy'")
        .hasMessageContaining("Invalid principal in policy")
        .hasMessageContaining("fix: pass the real COPY role with -c copyRoleArn=arn:aws:iam::<account>:role/<role>");
  }

  @Test
  void copyRole_replacesThePlaceholderInBucketPoliciesAndUploadedConfigs() {
    String policies = synth.template().findResources("AWS::S3::BucketPolicy").toString();
    assertThat(policies).contains(COPY_ROLE).doesNotContain("123456789012");
    assertThat(synth.deployment().tables()).allSatisfy(t -> {
      assertThat(t.config().iamRole()).isEqualTo(COPY_ROLE);
      assertThat(t.configJson().toString()).contains(COPY_ROLE).doesNotContain("123456789012");
    });
  }

  @Test
  void contextFlags_reachTrackerManifestsEnvironmentAndTopic() {
    synth.template().hasResourceProperties("AWS::DynamoDB::Table", Map.of("DeletionProtectionEnabled", false));
    synth.template().hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules",
        Match.arrayWith(List.of(Match.objectLike(Map.of("Prefix", "manifests/", "ExpirationInDays", 9)))))));
    synth.template().hasResourceProperties("AWS::Lambda::Function", Map.of("Environment",
        Map.of("Variables", Match.objectLike(Map.of("MBL_RETENTION_DAYS", "7")))));
    synth.template().hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email",
        "Endpoint", "ops@example.com"));
  }

  @Test
  void uploadedConfigs_areTheTablesConfigsAndParseAsTheLoaderReadsThem() throws Exception {
    ConfigParser parser = ConfigParser.create();
    Path assembly = Path.of(synth.app().synth().getDirectory());
    for (TableSpec table : synth.deployment().tables()) {
      Path uploaded;
      try (Stream<Path> files = Files.walk(assembly)) {
        uploaded = files.filter(f -> f.getFileName().toString().equals(table.configFileName())).findFirst()
            .orElseThrow(() -> new AssertionError("no asset holds " + table.configFileName()));
      }
      // A deploy-time value (the created landing bucket's name in options.sources) is a marker in the asset that
      // the BucketDeployment handler replaces with the JSON string; stand in a literal one.
      String json = Files.readString(uploaded).replaceAll("<<marker:0xbaba:\\d+>>", "\"s3://created-landing/"
          + table.landing().prefix() + "\"");
      TableConfig config = parser.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          ConfigRef.s3("b", "config/" + table.name()));
      assertThat(config.sources()).as("sources of %s", table.name()).singleElement().asString()
          .endsWith("/" + table.landing().prefix());
      assertThat(config.table()).isEqualTo(table.config().table());
      assertThat(config.target()).isEqualTo(table.config().target());
      assertThat(config.mode()).isEqualTo(table.config().mode());
      assertThat(config.statementPrefix()).isEqualTo(table.config().statementPrefix());
    }
  }
}
