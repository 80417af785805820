package dev.mbl.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.cli.bench.BenchData.BenchFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchDataTest {
  private final List<BenchTable> tables = BenchTable.first(4);

  @Test
  void files_fourTables_roundRobinEveryFormatAndRowsInRange() {
    List<BenchFile> files = new BenchData(1, tables, 40).files("burst", 40);

    assertThat(files).hasSize(40);
    assertThat(files.get(0).key()).isEqualTo("t0/burst/f000000.csv");
    assertThat(files.get(1).key()).isEqualTo("t1/burst/f000001.json");
    assertThat(files.get(2).key()).isEqualTo("t2/burst/f000002.parquet");
    assertThat(files.get(3).key()).isEqualTo("t3/burst/f000003.csv");
    assertThat(files).allSatisfy(f -> assertThat(f.rows()).isBetween(BenchData.MIN_ROWS, BenchData.MAX_ROWS));
    assertThat(new String(files.get(2).body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
  }

  @Test
  void expected_keysRepeatAcrossFiles_fewerDistinctIdsThanRows() {
    BenchData data = new BenchData(1, tables, 200);
    List<BenchFile> files = data.files("burst", 200);
    long rows = files.stream().filter(f -> f.table().index() == 0).mapToLong(BenchFile::rows).sum();

    assertThat(data.expected(tables.get(0)).rows()).isPositive().isLessThan(rows);
  }

  @Test
  void files_sameSeed_sameBytes() {
    assertThat(new BenchData(5, tables, 8).files("burst", 8).get(1).body())
        .isEqualTo(new BenchData(5, tables, 8).files("burst", 8).get(1).body());
  }

  @Test
  void options_noFiles_namesTheOptionsToFix() {
    assertThatThrownBy(() -> new Bench.Options(0, 4, 5, 60, 1, 16, Mapping.local, java.time.Duration.ofMinutes(1),
        System.out, System.out)).hasMessageContaining("--files 1 or more");
  }

  @Test
  void percentile_nearestRank() {
    List<Long> values = List.of(5L, 1L, 4L, 2L, 3L);
    assertThat(Bench.percentile(values, 0.5)).isEqualTo(3);
    assertThat(Bench.percentile(values, 0.99)).isEqualTo(5);
    assertThat(Bench.percentile(List.of(), 0.5)).isZero();
  }

  @Test
  void profiles_both_fastThenRealistic() {
    assertThat(BenchCommand.profiles("both")).extracting(p -> p.name()).containsExactly("fast", "realistic");
    assertThatThrownBy(() -> BenchCommand.profiles("slow")).hasMessageContaining("unknown latency profile")
        .hasMessageEndingWith("or both (fast, then realistic)");
  }
}
