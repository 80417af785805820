package dev.mbl.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.local.redshift.DataApiEmulator;
import dev.mbl.local.redshift.LocalPostgres;
import dev.mbl.testing.LoadHarness;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Data API emulator over embedded PostgreSQL with LoadHarness's {@code public.orders} table,
 * reading S3 from LoadHarness's S3Proxy, collecting the status events it would send EventBridge.
 */
final class StandInWarehouse implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LocalPostgres postgres;
  private final DataApiEmulator dataApi;
  private final List<String> statusEvents = new CopyOnWriteArrayList<>();

  private StandInWarehouse() throws SQLException {
    new LoadHarness(); // starts the shared S3Proxy and DynamoDB Local
    postgres = LocalPostgres.start();
    try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("create table public.orders (id varchar(256), amount int8)");
    }
    dataApi = DataApiEmulator.start(postgres, LoadHarness.s3().client(), statusEvents::add, "us-east-1",
        "123456789012");
  }

  static StandInWarehouse start() throws SQLException {
    return new StandInWarehouse();
  }

  URI dataApiEndpoint() {
    return dataApi.endpoint();
  }

  /** The next status change event (one line), as EventBridge would hand it to NextLoader. */
  String awaitStatusEvent(Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      for (String event : statusEvents) {
        JsonNode node = JSON.readTree(event);
        if (!node.path("detail").path("state").asText().isEmpty()) {
          statusEvents.remove(event);
          return node.toString();
        }
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new AssertionError("no Data API status event within " + within);
  }

  /** The rows of public.orders as {@code id,amount}. */
  List<String> rows() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select id, amount from public.orders")) {
      while (r.next()) {
        rows.add(r.getString(1) + "," + r.getLong(2));
      }
    }
    return rows;
  }

  @Override
  public void close() {
    dataApi.close();
    postgres.close();
  }
}
