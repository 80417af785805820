package dev.mbl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mbl} command: {@code mbl demo}, {@code mbl local up}. */
@Command(name = "mbl", mixinStandardHelpOptions = true, version = "mbl 0.1.0",
    description = "Redshift Microbatch Loader: run the whole pipeline on this machine.",
    subcommands = {DemoCommand.class, LocalCommand.class, dev.mbl.cli.ops.StatusCommand.class,
        dev.mbl.cli.ops.FilesCommand.class, dev.mbl.cli.ops.FileCommand.class, dev.mbl.cli.ops.RetryCommand.class,
        dev.mbl.cli.ops.AckCommand.class, dev.mbl.cli.ops.DlqCommand.class, dev.mbl.cli.ops.BulkCommand.class,
        dev.mbl.cli.ops.ValidateCommand.class, dev.mbl.cli.ops.ReconcileCommand.class, SoakCommand.class,
        dev.mbl.cli.bench.BenchCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
