package dev.mbl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party template check: cfn-guard with AWS Control Tower's proactive-control rules, as AWS
 * packages them in the npm package {@code @cdklabs/cdk-validator-cfnguard} (the cfn-guard binary
 * ships inside it), on the templates the shipped example and the all-variants tables file
 * synthesize. Every finding must be on {@code infra/guard/accepted-findings.json} with a reason.
 * The package is installed with {@code npm ci} from {@code infra/guard/package-lock.json} into
 * {@code mbl.guard.dir} (the build folder), about a second from npm's cache.
 */
class TemplateGuardIT {
  static final Path GUARD_SOURCE = Path.of("guard");
  static final Path CHECK = GUARD_SOURCE.resolve("check.js");
  static final Path ACCEPTED = GUARD_SOURCE.resolve("accepted-findings.json");
  static final Path MODULES = Path.of(System.getProperty("mbl.guard.dir", "target/guard"));
  static final String REAL_LOOKING_ROLE = "arn:aws:iam::210987654321:role/redshift-copy";

  @TempDir
  Path work;

  @BeforeAll
  static void installGuard() throws Exception {
    Files.createDirectories(MODULES);
    for (String file : List.of("package.json", "package-lock.json", ".npmrc")) {
      Files.copy(GUARD_SOURCE.resolve(file), MODULES.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Result install = run(MODULES, List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund",
        "--loglevel=error"));
    assertThat(install.exitCode()).as("npm ci in %s: %s", MODULES, install.output()).isZero();
  }

  @Test
  void synthesizedTemplates_haveOnlyAcceptedGuardFindings() throws Exception {
    Path shipped = template(Synth.of(Path.of("tables.json"), folder("shipped"),
        Map.of("copyRoleArn", REAL_LOOKING_ROLE, "alarmEmail", "ops@example.com")), "shipped");
    Path variants = template(Synth.of(Path.of("src/test/resources/tables/all-auth.json"), folder("variants"),
        Map.of("copyRoleArn", REAL_LOOKING_ROLE, "landingExpirationDays", "90")), "variants");

    Result result = guard(ACCEPTED, shipped, variants);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("2 template(s)").contains(" 0 not accepted, 0 stale accepted");
  }

  @Test
  void brokenTemplate_failsWithTheRuleAndResource() throws Exception {
    Path broken = Path.of("src/test/resources/guard/broken-template.json");
    Path noneAccepted = work.resolve("none-accepted.json");
    Files.writeString(noneAccepted, "{\"accepted\": []}");

    Result result = guard(noneAccepted, broken);

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output()).contains("NOT ACCEPTED").contains("on OpenBucket (broken-template.json)")
        .contains("on PlainQueue (broken-template.json)");
  }

  @Test
  void staleAcceptedEntry_failsTheCheck() throws Exception {
    Path broken = Path.of("src/test/resources/guard/broken-template.json");
    Path stale = work.resolve("stale.json");
    Files.writeString(stale, "{\"accepted\": [{\"rule\": \"ct_no_such_rule\", \"resource\": \"Nothing.*\", "
        + "\"reason\": \"an entry that matches no finding hides the next real one and must be removed\"}]}");

    Result result = guard(stale, broken);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("STALE ACCEPTED ct_no_such_rule");
  }

  private Path folder(String name) throws IOException {
    return Files.createDirectories(work.resolve(name));
  }

  /** The template file exactly as `cdk synth` writes it to the cloud assembly. */
  private static Path template(Synth synth, String name) {
    return Path.of(synth.app().synth().getStackByName(synth.stack().getStackName()).getTemplateFullPath());
  }

  record Result(int exitCode, String output) {}

  private static Result guard(Path accepted, Path... templates) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", CHECK.toString(), "--modules", MODULES.toString(),
        "--accepted", accepted.toString()));
    for (Path template : templates) {
      command.add(template.toString());
    }
    return run(Path.of("."), command);
  }

  private static Result run(Path folder, List<String> command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      throw new AssertionError(command.get(0) + " cannot run (" + notInstalled.getMessage() + "); fix: install "
          + "Node.js 20 with npm, which the CDK needs too (docs/deploy.md, Prerequisites)", notInstalled);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command.get(0)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
