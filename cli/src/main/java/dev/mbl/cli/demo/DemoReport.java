package dev.mbl.cli.demo;

import dev.mbl.local.LocalStack;
import dev.mbl.load.StatementName;
import dev.mbl.load.TableKey;
import dev.mbl.tracker.DynamoDbTracker;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/** The demo's summary and its checks against the expected rows. */
public final class DemoReport {
  public static final List<String> TABLES = List.of("public.orders", "public.clicks", "public.inventory");
  private static final Map<String, String> COLUMNS = Map.of(
      "public.orders", "order_id, customer, amount, status, updated_at",
      "public.clicks", "click_id, user_id, url, clicked_at",
      "public.inventory", "sku, warehouse, quantity, updated_at");
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final List<String> lines = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  private DemoReport() {}

  public static DemoReport collect(LocalStack stack, DynamoDbTracker tracker, DemoData data,
      Map<String, Instant> uploadedAt, Duration elapsed) throws SQLException {
    DemoReport report = new DemoReport();
    List<LedgerEntry> entries = new ArrayList<>();
    for (String table : TABLES) {
      entries.addAll(tracker.ledgerEntries(TableKey.parse("analytics/dev/" + table)));
    }
    List<Long> latencies = new ArrayList<>();
    List<LedgerEntry> quarantined = new ArrayList<>();
    for (LedgerEntry entry : entries) {
      if (entry.state() == FileState.LOADED && entry.settledAt() != null && uploadedAt.containsKey(entry.key())) {
        latencies.add(Duration.between(uploadedAt.get(entry.key()), entry.settledAt()).toMillis());
      } else if (entry.state() == FileState.QUARANTINED) {
        quarantined.add(entry);
      }
    }
    latencies.sort(Long::compare);
    List<StatementData> statements = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = stack.redshiftData().listStatements(l -> l.statementName("mbl/").status(StatusString.ALL)
          .nextToken(next).maxResults(100));
      statements.addAll(page.statements());
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    // A failed batch's load-error diagnosis is an ExecuteStatement of its own, named <batch>.diagnosis.
    List<StatementData> diagnoses = statements.stream()
        .filter(s -> s.statementName() != null && s.statementName().endsWith(StatementName.DIAGNOSIS_SUFFIX)).toList();
    statements.removeAll(diagnoses);
    long failed = statements.stream().filter(s -> !"FINISHED".equals(s.statusAsString())).count();
    long copies = 0;
    for (StatementData statement : statements) {
      var described = stack.redshiftData().describeStatement(d -> d.id(statement.id()));
      copies += described.subStatements().stream()
          .filter(sub -> sub.queryString() != null && sub.queryString().stripLeading().startsWith("COPY ")).count();
    }

    report.lines.add(String.format("files      %d uploaded (+1 re-sent duplicate), %d ledgered, %d loaded, %d quarantined",
        uploadedAt.size(), entries.size(), entries.size() - quarantined.size(), quarantined.size()));
    report.lines.add(String.format("batches    %d statements through the Data API, %d of them failed (a bad file "
        + "fails its batch once; a load-error query names it)", statements.size(), failed));
    report.lines.add(String.format("diagnosis  %d load-error queries (sys_load_error_detail), one per batch that failed "
        + "with a load error", diagnoses.size()));
    report.lines.add(String.format("COPY       %d COPY statements counted in the batches' SQL: one per batch, however "
        + "many files", copies));
    if (copies != statements.size()) {
      report.failures.add("expected one COPY per batch: " + copies + " COPY statements in " + statements.size()
          + " batches");
    }
    report.lines.add(String.format("latency    upload -> LOADED p50 %d ms, p99 %d ms (over %d files)",
        percentile(latencies, 50), percentile(latencies, 99), latencies.size()));
    report.lines.add(String.format("elapsed    %.1f s in all", elapsed.toMillis() / 1000.0));
    for (LedgerEntry entry : quarantined) {
      report.lines.add("quarantined s3://" + entry.bucket() + "/" + entry.key());
      report.lines.add("           reason: " + entry.reason());
    }
    if (quarantined.size() != 1 || !quarantined.get(0).key().equals(data.badKey())) {
      report.failures.add("expected exactly the bad file " + data.badKey() + " to be quarantined, got "
          + quarantined.stream().map(LedgerEntry::key).toList());
    }
    if (entries.size() != uploadedAt.size()) {
      report.failures.add("expected " + uploadedAt.size() + " ledgered files (the re-sent one once), got "
          + entries.size());
    }
    try (Connection connection = stack.postgres().orElseThrow().dataSource().getConnection()) {
      for (Map.Entry<String, List<String>> table : data.expected().entrySet()) {
        report.check(connection, table.getKey(), table.getValue());
      }
    }
    return report;
  }

  private void check(Connection connection, String table, List<String> expected) throws SQLException {
    List<String> actual = new ArrayList<>();
    try (var statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT " + COLUMNS.get(table) + " FROM " + table)) {
      int width = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= width; i++) {
          values.add(text(rows.getObject(i)));
        }
        actual.add(String.join("|", values));
      }
    }
    actual.sort(String::compareTo);
    if (actual.equals(expected)) {
      lines.add(String.format("check      %-17s %5d rows, exactly the expected latest rows", table, actual.size()));
      return;
    }
    Map<String, Integer> diff = new LinkedHashMap<>();
    expected.stream().filter(r -> !actual.contains(r)).limit(3).forEach(r -> diff.put("missing " + r, 1));
    actual.stream().filter(r -> !expected.contains(r)).limit(3).forEach(r -> diff.put("unexpected " + r, 1));
    failures.add(table + ": " + actual.size() + " rows, expected " + expected.size() + "; " + diff.keySet());
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Timestamp ts) {
      return TS.format(ts.toLocalDateTime());
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return value.toString();
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  public boolean ok() {
    return failures.isEmpty();
  }

  public void print(PrintStream out, Path log) {
    out.println();
    out.println("summary");
    lines.forEach(l -> out.println("  " + l));
    out.println("  function log: " + log);
    if (failures.isEmpty()) {
      out.println("OK: every file loaded exactly once or quarantined with Redshift's reason; tables match.");
    } else {
      failures.forEach(f -> out.println("FAILED: " + f));
    }
  }
}
