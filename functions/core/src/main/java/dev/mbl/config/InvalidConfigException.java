package dev.mbl.config;

import java.util.List;

/**
 * A table config that cannot be used. The message names the config (its S3 key or the inline
 * input) and lists every problem with the JSON path of the bad field and how to fix it.
 */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final List<String> problems;

  public InvalidConfigException(String source, List<String> problems) {
    super("config " + source + " is invalid (" + problems.size() + " problem"
        + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The S3 key (or "inline input") the config came from. */
  public String source() {
    return source;
  }

  /** Each problem, as "{json path}: {what is wrong}; {how to fix}". */
  public List<String> problems() {
    return problems;
  }
}
