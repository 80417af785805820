package dev.mbl.cli.ops;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Base of the operator commands: connects, runs, and maps failures to the AWS CLI's exit codes
 * (docs/operations.md): 0 done (status: all OK), 1 WARN or some items failed, 2 CRITICAL,
 * 252 usage (bad argument, unknown table), 254 an AWS service refused a call, 255 anything else.
 */
abstract class OpsCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int PARTIAL = 1;
  static final int USAGE = 252;
  static final int SERVICE = 254;
  static final int OTHER = 255;

  @Mixin
  OpsOptions options;

  @Spec
  CommandSpec spec;

  /** Runs with an open session; returns the exit code. */
  abstract int run(OpsSession session) throws Exception;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try (OpsSession session = OpsSession.open(options, System.getenv())) {
      return run(session);
    } catch (UsageException | IllegalArgumentException usage) {
      err.println("mbl " + spec.name() + ": " + usage.getMessage());
      return USAGE;
    } catch (SdkException service) {
      err.println("mbl " + spec.name() + ": AWS refused a call: " + service.getMessage());
      return SERVICE;
    } catch (Exception other) {
      err.println("mbl " + spec.name() + ": " + other.getClass().getSimpleName() + ": " + other.getMessage());
      return OTHER;
    } finally {
      err.flush();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  boolean json() {
    return options.output == OpsOptions.OutputFormat.json;
  }
}
