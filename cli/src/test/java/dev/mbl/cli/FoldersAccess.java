package dev.mbl.cli;

import java.nio.file.Path;
import java.time.Duration;

/** Test access to the CLI's package-private helpers from dev.mbl.cli.ops tests. */
public final class FoldersAccess {
  private FoldersAccess() {}

  public static void delete(Path folder) {
    Folders.delete(folder);
  }

  public static void pause(Duration duration) {
    Waits.pause(duration);
  }
}
