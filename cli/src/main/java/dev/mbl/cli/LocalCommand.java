package dev.mbl.cli;

import picocli.CommandLine.Command;

/** {@code mbl local ...}: the local stack. */
@Command(name = "local", mixinStandardHelpOptions = true, description = "Run the local stack.",
    subcommands = {LocalUpCommand.class, AddTableCommand.class})
final class LocalCommand {}
