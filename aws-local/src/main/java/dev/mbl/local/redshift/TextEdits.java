package dev.mbl.local.redshift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replacements of character ranges of one text, applied together. A removal also takes the
 * white space right before it, so {@code "a ENCODE zstd"} loses {@code " ENCODE zstd"}. An edit
 * inside a range another edit already replaces is dropped (the outer edit wins).
 */
final class TextEdits {
  private record Edit(int start, int end, String replacement) {}

  private final String text;
  private final List<Edit> edits = new ArrayList<>();

  TextEdits(String text) {
    this.text = text;
  }

  void replace(int start, int end, String replacement) {
    edits.add(new Edit(start, end, replacement));
  }

  /** Removes {@code [start, end)} and the white space before it. */
  void remove(int start, int end) {
    int from = start;
    while (from > 0 && Character.isWhitespace(text.charAt(from - 1))) {
      from--;
    }
    edits.add(new Edit(from, end, ""));
  }

  /** Removes {@code [start, end)} and the white space after it. */
  void removeWithFollowingSpace(int start, int end) {
    int to = end;
    while (to < text.length() && Character.isWhitespace(text.charAt(to))) {
      to++;
    }
    edits.add(new Edit(start, to, ""));
  }

  boolean isEmpty() {
    return edits.isEmpty();
  }

  String apply() {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start).thenComparing(Comparator.comparingInt(Edit::end).reversed()));
    StringBuilder out = new StringBuilder(text.length());
    int at = 0;
    for (Edit edit : sorted) {
      if (edit.start() < at) {
        continue;
      }
      out.append(text, at, edit.start()).append(edit.replacement());
      at = edit.end();
    }
    return out.append(text.substring(at)).toString();
  }
}
