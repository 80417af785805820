package dev.mbl.cli.ops;

/** The command cannot run as given (unknown table, missing names): exit code 252, as the AWS CLI's usage errors. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
