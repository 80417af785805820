package dev.mbl.infra;

import dev.mbl.tables.Deployment;
import dev.mbl.tables.TablesFile;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Synthesizes the stack the way {@link MblApp} does (context options, tables file, cdk-nag
 * aspect) with a placeholder jar, so infra's tests do not need the shaded jar to exist.
 */
record Synth(App app, MblStack stack, Template template, Deployment deployment) {

  static Synth of(Path tablesFile, Path workDir, Map<String, Object> extraContext) {
    return of(tablesFile, workDir, extraContext, null);
  }

  /** As {@link #of(Path, Path, Map)} for a stack bound to {@code env} (nullable: environment-agnostic). */
  static Synth of(Path tablesFile, Path workDir, Map<String, Object> extraContext, Environment env) {
    Map<String, Object> context = new HashMap<>();
    context.put("tables", tablesFile.toString());
    context.put("lambdaJar", placeholderJar(workDir).toString());
    context.putAll(extraContext);
    App app = new App(AppProps.builder().context(context).outdir(workDir.resolve("cdk.out").toString()).build());
    DeploymentOptions options = DeploymentOptions.fromContext(app.getNode()::tryGetContext);
    Deployment deployment = TablesFile.read(options.tablesFile(), options.copyRoleArn());
    MblStack stack = new MblStack(app, "Mbl", StackProps.builder().env(env).build(),
        new MblStack.Props(deployment, options, Code.fromAsset(options.lambdaJar().toString())));
    Aspects.of(app).add(new AwsSolutionsChecks());
    return new Synth(app, stack, Template.fromStack(stack), deployment);
  }

  /** A jar with one entry: the asset only has to be a file for the stack to synthesize. */
  static Path placeholderJar(Path folder) {
    Path jar = folder.resolve("mbl-lambda-test-lambda.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new ZipEntry("placeholder.txt"));
      zip.write("infra test placeholder".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }
}
