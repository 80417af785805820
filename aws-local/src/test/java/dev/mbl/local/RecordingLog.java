package dev.mbl.local;

import dev.mbl.local.logging.StandInLog;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StandInLog} that keeps every line, for tests that look at what a stand-in reported. */
public final class RecordingLog implements StandInLog {
  /** One reported line. */
  public record Line(String component, String level, String action, String resource, String id, String detail) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();

  @Override
  public void message(String component, String level, String action, String resource, String id, String detail,
      Instant at) {
    lines.add(new Line(component, level, action, resource, id, detail));
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The actions reported so far, in order. */
  public List<String> actions() {
    return lines.stream().map(Line::action).toList();
  }
}
