package dev.mbl.tables;

import java.util.List;

/** A tables file that cannot be deployed; the message lists every problem with its JSON path. */
public final class InvalidTablesException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidTablesException(String file, List<String> problems) {
    super("tables file " + file + " is invalid (" + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as "{json path}: {what is wrong}; {how to fix}". */
  public List<String> problems() {
    return problems;
  }
}
