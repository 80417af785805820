package dev.mbl.local.redshift;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL 14 (zonky) on a free loopback port, the warehouse behind the local
 * Data API emulator. Its data lives in a temporary directory removed on {@link #close()}. Runs
 * as root too: zonky then starts the server inside {@code unshare -U}, since PostgreSQL refuses
 * to run as root. Server output is discarded; the time zone is UTC, as on Redshift.
 *
 * <p>All Redshift databases map to PostgreSQL's {@code postgres} database, user {@code postgres}
 * (trust authentication, no password).
 */
public final class LocalPostgres implements AutoCloseable {
  private static final String DATABASE = "postgres";
  private static final String USER = "postgres";

  private final EmbeddedPostgres server;

  private LocalPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Starts a new server; takes a few seconds (initdb).
   *
   * @throws UncheckedIOException when PostgreSQL cannot start
   */
  public static LocalPostgres start() {
    return start(0);
  }

  /**
   * Starts a new server on {@code port} (0: a free port).
   *
   * @throws UncheckedIOException when PostgreSQL cannot start (e.g. the port is taken)
   */
  public static LocalPostgres start(int port) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres server = builder
          .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
          .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("timezone", "UTC")
          .setServerConfig("max_connections", "200")
          // Batches load many rows at SERIALIZABLE; the default predicate-lock table is small.
          .setServerConfig("max_pred_locks_per_transaction", "1024")
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .start();
      return new LocalPostgres(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL" + (port > 0 ? " on port " + port
          + " (is another PostgreSQL or local stack using it? pick another port)" : "") + ": " + e.getMessage(), e);
    }
  }

  /** A data source for the {@code postgres} database; every connection is a new session. */
  public DataSource dataSource() {
    return server.getPostgresDatabase();
  }

  /** {@code jdbc:postgresql://localhost:<port>/postgres?user=postgres}. */
  public String jdbcUrl() {
    return server.getJdbcUrl(USER, DATABASE);
  }

  public int port() {
    return server.getPort();
  }

  /** Stops the server and removes its data. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }
}
