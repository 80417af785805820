package dev.mbl.infra;

import dev.mbl.tables.Deployment;
import dev.mbl.tables.TablesFile;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;

/** The CDK app: {@code cd infra && npx aws-cdk@2.1148.1 synth} (docs/deploy.md). */
public final class MblApp {
  private MblApp() {}

  public static void main(String[] args) {
    App app = new App();
    DeploymentOptions options = DeploymentOptions.fromContext(app.getNode()::tryGetContext);
    Deployment deployment = TablesFile.read(options.tablesFile(), options.copyRoleArn());
    Object name = app.getNode().tryGetContext("stackName");
    // The account and region the CLI deploys to (its profile), so synth can warn about a region
    // without SnapStart; both stay unresolved (an environment-agnostic template) when unknown.
    Environment env = Environment.builder().account(System.getenv("CDK_DEFAULT_ACCOUNT"))
        .region(System.getenv("CDK_DEFAULT_REGION")).build();
    new MblStack(app, name == null ? "Mbl" : name.toString(), StackProps.builder()
        .description("mbl: Redshift Microbatch Loader").env(env).build(),
        new MblStack.Props(deployment, options, Code.fromAsset(options.lambdaJar().toString())));
    Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
    app.synth();
  }
}
