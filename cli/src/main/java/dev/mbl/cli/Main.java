package dev.mbl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mbl} command: {@code mbl demo}, {@code mbl local up}. */
@Command(name = "mbl", mixinStandardHelpOptions = true, version = "mbl 0.1.0",
    description = "Redshift Microbatch Loader: run the whole pipeline on this machine.",
    subcommands = {DemoCommand.class, LocalCommand.class})
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
