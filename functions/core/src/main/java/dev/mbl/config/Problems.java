package dev.mbl.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with one config so that every problem is reported at once, each as
 * {@code "{json path}: {what is wrong}; fix: {how to fix}"}.
 */
final class Problems {
  /** The longest user value quoted back in a message. */
  private static final int MAX_SHOWN = 80;

  private final List<String> problems = new ArrayList<>();

  void add(String path, String what, String fix) {
    problems.add(path + ": " + what + "; fix: " + fix);
  }

  /** Adds a message that already reads "{what is wrong}; fix: {how to fix}". */
  void add(String path, String whatAndFix) {
    problems.add(path + ": " + whatAndFix);
  }

  /** How many problems so far: a validator compares counts to learn whether its part was clean. */
  int size() {
    return problems.size();
  }

  /** Throws {@link InvalidConfigException} naming {@code source} when any problem was added. */
  void throwIfAny(ConfigRef source) {
    if (!problems.isEmpty()) {
      throw toException(source);
    }
  }

  InvalidConfigException toException(ConfigRef source) {
    return new InvalidConfigException(source.toString(), problems);
  }

  /** A user value as it may appear in a message: bounded, control characters made visible. */
  static String shown(String raw) {
    return shown(raw, MAX_SHOWN);
  }

  static String shown(String raw, int max) {
    String cut = raw.length() > max ? raw.substring(0, max) + "..." : raw;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
