package dev.mbl.local.redshift;

import blue.strategic.parquet.ParquetWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mbl.local.latency.Latency;
import dev.mbl.local.s3.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.schema.MessageType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;

/**
 * PostgreSQL, S3Proxy and the Data API emulator, with the unmodified SDK client pointed at it and
 * the status events it sends collected. One per test class.
 */
final class EmulatorFixture implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "123456789012";
  static final String CLUSTER = "local-cluster";
  static final String DATABASE = "dev";
  static final String BUCKET = "data";
  static final String WORKGROUP = "local-workgroup";

  final LocalPostgres postgres;
  final S3Server s3;
  final DataApiEmulator emulator;
  final RedshiftDataClient data;
  final List<String> events = new CopyOnWriteArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  private EmulatorFixture(Latency latency) {
    postgres = LocalPostgres.start();
    s3 = S3Server.start();
    s3.createBucket(BUCKET);
    emulator = latency == null ? DataApiEmulator.start(postgres, s3.client(), events::add, REGION, ACCOUNT)
        : DataApiEmulator.start(postgres, s3.client(), events::add, REGION, ACCOUNT, latency);
    data = RedshiftDataClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
        .httpClient(UrlConnectionHttpClient.builder().build()).build();
  }

  static EmulatorFixture start() {
    return new EmulatorFixture(null);
  }

  /** An emulator taking {@code latency}'s time. */
  static EmulatorFixture start(Latency latency) {
    return new EmulatorFixture(latency);
  }

  RedshiftDataClient data() {
    return data;
  }

  /** Runs one statement through the Data API and waits for it; fails unless it FINISHED. */
  String execute(String sql) {
    String id = data().executeStatement(e -> e.clusterIdentifier(CLUSTER).database(DATABASE).sql(sql)).id();
    DescribeStatementResponse done = await(id);
    if (!"FINISHED".equals(done.statusAsString())) {
      throw new AssertionError(sql + " ended " + done.statusAsString() + ": " + done.error());
    }
    return id;
  }

  /** Runs one statement on the cluster and waits for its end, whatever it is. */
  DescribeStatementResponse run(String sql) {
    return await(data().executeStatement(e -> e.clusterIdentifier(CLUSTER).database(DATABASE).sql(sql)).id());
  }

  /** Runs one statement on a Serverless workgroup and waits for its end. */
  DescribeStatementResponse runServerless(String sql) {
    return await(data().executeStatement(e -> e.workgroupName(WORKGROUP).database(DATABASE).sql(sql)).id());
  }

  /** Runs a BatchExecuteStatement on the cluster and waits for its end. */
  DescribeStatementResponse batch(String... sqls) {
    return await(data().batchExecuteStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).sqls(sqls)).id());
  }

  /** Writes a Parquet file of {@code schema}'s flat columns; a null value is left out (NULL). */
  void putParquet(String key, MessageType schema, List<Object[]> rows) {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("emu-parquet");
      java.io.File file = dir.resolve("rows.parquet").toFile();
      List<String> names = schema.getFields().stream().map(f -> f.getName()).toList();
      try (ParquetWriter<Object[]> writer = ParquetWriter.writeFile(schema, file, (row, out) -> {
        for (int i = 0; i < names.size(); i++) {
          if (row[i] != null) {
            out.write(names.get(i), row[i]);
          }
        }
      })) {
        for (Object[] row : rows) {
          writer.write(row);
        }
      }
      put(key, java.nio.file.Files.readAllBytes(file.toPath()));
      java.nio.file.Files.delete(file.toPath());
      java.nio.file.Files.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the statement has ended. */
  DescribeStatementResponse await(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      DescribeStatementResponse response = data().describeStatement(d -> d.id(id));
      if (List.of("FINISHED", "FAILED", "ABORTED").contains(response.statusAsString())) {
        return response;
      }
      sleep(20);
    }
    throw new AssertionError("statement " + id + " did not end within 60 s");
  }

  /** The status event of {@code statementId}, waiting briefly for it. */
  JsonNode eventOf(String statementId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String event : events) {
        try {
          JsonNode node = json.readTree(event);
          if (statementId.equals(node.path("detail").path("statementId").asText())) {
            return node;
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      sleep(20);
    }
    throw new AssertionError("no status event for " + statementId + " among " + events);
  }

  /** Rows of a query run directly on PostgreSQL, each as a list of strings. */
  List<List<String>> query(String sql) {
    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<List<String>> result = new ArrayList<>();
      int width = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= width; i++) {
          row.add(rows.getString(i));
        }
        result.add(row);
      }
      return result;
    } catch (SQLException e) {
      throw new AssertionError(sql + " failed: " + e.getMessage(), e);
    }
  }

  void put(String key, String content) {
    s3.put(BUCKET, key, content.getBytes(StandardCharsets.UTF_8));
  }

  void put(String key, byte[] content) {
    s3.put(BUCKET, key, content);
  }

  /** Writes a manifest with mandatory entries and their content lengths; returns its URL. */
  String manifest(String key, String... fileKeys) {
    StringBuilder entries = new StringBuilder();
    for (String file : fileKeys) {
      long length = s3.client().headObject(h -> h.bucket(BUCKET).key(file)).contentLength();
      entries.append(entries.length() == 0 ? "" : ",").append("{\"url\":\"s3://").append(BUCKET).append('/')
          .append(file).append("\",\"mandatory\":true,\"meta\":{\"content_length\":").append(length).append("}}");
    }
    put(key, "{\"entries\":[" + entries + "]}");
    return "s3://" + BUCKET + "/" + key;
  }

  static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    data.close();
    emulator.close();
    s3.close();
    postgres.close();
  }
}
