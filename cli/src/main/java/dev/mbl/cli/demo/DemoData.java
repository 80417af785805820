package dev.mbl.cli.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The demo's data: realistic files for three tables, in bursts, and the rows the warehouse must
 * hold at the end.
 * <ul>
 *   <li>{@code public.orders}: CSV with a header, merged on {@code order_id} by {@code updated_at};
 *       later files update earlier orders, and a file repeats a key with an older row;
 *   <li>{@code public.clicks}: gzipped JSON lines, appended;
 *   <li>{@code public.inventory}: Parquet, merged on {@code (sku, warehouse)}.
 * </ul>
 * One orders file is deliberately bad (a non-numeric amount): it must end quarantined with
 * Redshift's reason while every other file loads. Deterministic for a seed.
 */
public final class DemoData {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final MessageType INVENTORY = Types.buildMessage()
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("sku")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("warehouse")
      .required(PrimitiveTypeName.INT32).named("quantity")
      .required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(false,
          LogicalTypeAnnotation.TimeUnit.MICROS)).named("updated_at")
      .named("inventory");

  /** One file to upload. */
  public record DemoFile(String table, String key, byte[] body, boolean bad) {}

  private final Random random;
  private final LocalDateTime start = LocalDateTime.of(2026, 11, 21, 9, 0);
  private final List<List<DemoFile>> bursts = new ArrayList<>();
  /** order_id -> the winning row as text; clicks as a list; (sku|warehouse) -> winning row. */
  private final Map<Long, String> orders = new TreeMap<>();
  private final Map<Long, LocalDateTime> orderTimes = new LinkedHashMap<>();
  private final List<String> clicks = new ArrayList<>();
  private final Map<String, String> inventory = new TreeMap<>();
  private final Map<String, LocalDateTime> inventoryTimes = new LinkedHashMap<>();
  private String badKey;
  private int seconds;

  private DemoData(long seed) {
    this.random = new Random(seed);
  }

  /** Generates {@code burstCount} bursts of {@code filesPerTable} files per table. */
  public static DemoData generate(long seed, int burstCount, int filesPerTable) {
    DemoData data = new DemoData(seed);
    for (int burst = 0; burst < burstCount; burst++) {
      List<DemoFile> files = new ArrayList<>();
      for (int i = 0; i < filesPerTable; i++) {
        // One bad file, in the second burst (or the only one), after good files of its table.
        boolean bad = burst == Math.min(1, burstCount - 1) && i == filesPerTable / 2;
        files.add(data.ordersFile(burst, i, bad));
        files.add(data.clicksFile(burst, i));
        files.add(data.inventoryFile(burst, i));
      }
      data.bursts.add(files);
    }
    return data;
  }

  public List<List<DemoFile>> bursts() {
    return bursts;
  }

  /** The S3 key of the bad file. */
  public String badKey() {
    return badKey;
  }

  /** Expected final rows per table, each row as its columns joined by '|', sorted. */
  public Map<String, List<String>> expected() {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("public.orders", orders.values().stream().sorted().toList());
    expected.put("public.clicks", clicks.stream().sorted().toList());
    expected.put("public.inventory", inventory.values().stream().sorted().toList());
    return expected;
  }

  private LocalDateTime tick() {
    seconds += 1 + random.nextInt(5);
    return start.plusSeconds(seconds);
  }

  private DemoFile ordersFile(int burst, int index, boolean bad) {
    StringBuilder csv = new StringBuilder("order_id,customer,amount,status,updated_at\n");
    String[] statuses = {"placed", "paid", "shipped", "delivered", "cancelled"};
    List<Runnable> apply = new ArrayList<>();
    for (int row = 0; row < 25; row++) {
      long id = 1_000 + random.nextInt(400);
      LocalDateTime at = tick();
      String customer = "customer-" + random.nextInt(90);
      String amount = String.format("%d.%02d", 5 + random.nextInt(500), random.nextInt(100));
      String status = statuses[random.nextInt(statuses.length)];
      csv.append(id).append(',').append(customer).append(',').append(bad && row == 7 ? "twelve" : amount)
          .append(',').append(status).append(',').append(TS.format(at)).append('\n');
      apply.add(() -> mergeOrder(id, customer + "|" + amount + "|" + status, at));
      if (row % 10 == 9) {
        // The same key again in the same file with an OLDER timestamp: it must lose.
        csv.append(id).append(",stale,0.00,placed,").append(TS.format(at.minusHours(1))).append('\n');
      }
    }
    String key = String.format("orders/2026/11/21/burst-%d/orders-%03d.csv", burst, index);
    if (bad) {
      badKey = key;
    } else {
      apply.forEach(Runnable::run);
    }
    return new DemoFile("public.orders", key, csv.toString().getBytes(StandardCharsets.UTF_8), bad);
  }

  private void mergeOrder(long id, String rest, LocalDateTime at) {
    LocalDateTime known = orderTimes.get(id);
    if (known == null || !at.isBefore(known)) {
      orderTimes.put(id, at);
      orders.put(id, id + "|" + rest + "|" + TS.format(at));
    }
  }

  private DemoFile clicksFile(int burst, int index) {
    StringBuilder json = new StringBuilder();
    for (int row = 0; row < 40; row++) {
      String id = String.format("c-%d-%03d-%02d", burst, index, row);
      long user = 1 + random.nextInt(5_000);
      String url = "/products/" + random.nextInt(800) + (random.nextBoolean() ? "?ref=search" : "");
      LocalDateTime at = tick();
      json.append("{\"click_id\":\"").append(id).append("\",\"user_id\":").append(user).append(",\"url\":\"")
          .append(url).append("\",\"clicked_at\":\"").append(TS.format(at)).append("\"}\n");
      clicks.add(id + "|" + user + "|" + url + "|" + TS.format(at));
    }
    return new DemoFile("public.clicks", String.format("clicks/2026/11/21/burst-%d/clicks-%03d.json.gz", burst,
        index), gzip(json.toString().getBytes(StandardCharsets.UTF_8)), false);
  }

  private DemoFile inventoryFile(int burst, int index) {
    record Row(String sku, String warehouse, int quantity, LocalDateTime at) {}
    List<Row> rows = new ArrayList<>();
    for (int row = 0; row < 30; row++) {
      rows.add(new Row("sku-" + random.nextInt(120), "wh-" + (1 + random.nextInt(3)), random.nextInt(1_000), tick()));
    }
    for (Row row : rows) {
      String key = row.sku() + "|" + row.warehouse();
      LocalDateTime known = inventoryTimes.get(key);
      if (known == null || !row.at().isBefore(known)) {
        inventoryTimes.put(key, row.at());
        inventory.put(key, key + "|" + row.quantity() + "|" + TS.format(row.at()));
      }
    }
    byte[] parquet = ParquetBytes.write(INVENTORY, rows, (r, out) -> {
      out.write("sku", r.sku());
      out.write("warehouse", r.warehouse());
      out.write("quantity", r.quantity());
      Instant at = r.at().toInstant(ZoneOffset.UTC);
      out.write("updated_at", at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000);
    });
    return new DemoFile("public.inventory", String.format("inventory/2026/11/21/burst-%d/inventory-%03d.parquet",
        burst, index), parquet, false);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
