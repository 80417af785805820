package dev.mbl.cli.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The files of a soak, from its seed: {@code files} first versions spread over the tables (2 to 4
 * rows each); merge tables draw ids from a small key space so keys overlap across files; a
 * version is bad or is followed by an overwrite as the plan's BAD_FILE and OVERWRITE streams say.
 * The timestamps of merge rows grow with generation order, so "latest per key" is well defined.
 */
public final class SoakData {
  private SoakData() {}

  /** The versions in upload order; an overwrite directly follows the version it replaces. */
  public static List<SoakVersion> generate(long seed, int files, List<SoakTable> tables, FaultPlan plan) {
    Random random = new Random(seed);
    int keySpace = Math.max(10, files / tables.size() / 4);
    List<SoakVersion> versions = new ArrayList<>();
    long ts = 0;
    for (int n = 0; n < files; n++) {
      SoakTable table = tables.get(n % tables.size());
      String key = table.prefix() + "f" + String.format("%06d", n) + ".csv";
      boolean overwrite = plan.next(FaultKind.OVERWRITE);
      for (int generation = 1; generation <= (overwrite ? 2 : 1); generation++) {
        List<String> rows = new ArrayList<>();
        String file = key + "#" + generation;
        int count = 2 + random.nextInt(3);
        for (int line = 1; line <= count; line++) {
          int val = random.nextInt(1_000_000);
          rows.add(table.merge() ? random.nextInt(keySpace) + "|" + (++ts) + "|" + val + "|" + file
              : file + "|" + line + "|" + val);
        }
        versions.add(new SoakVersion(table, key, generation, rows, plan.next(FaultKind.BAD_FILE), null));
      }
    }
    return versions;
  }
}
