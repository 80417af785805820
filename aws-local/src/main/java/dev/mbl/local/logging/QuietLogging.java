package dev.mbl.local.logging;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences the stand-ins' own logging (S3Proxy, Jetty, ElasticMQ/Pekko, DynamoDB Local,
 * sqlite4java) so the local runtime prints only mbl's JSON lines. Call before the first server
 * starts; settings made explicitly by the caller (system properties) are kept.
 */
public final class QuietLogging {
  private static final String NOP_PROVIDER = "org.slf4j.nop.NOPServiceProvider";
  /** Held so the levels set on them survive garbage collection. */
  private static final Logger[] JUL_LOGGERS = {
      Logger.getLogger("com.almworks.sqlite4java"), Logger.getLogger("org.eclipse.jetty"),
      Logger.getLogger("org.gaul.s3proxy")};

  private QuietLogging() {}

  public static void apply() {
    // Two SLF4J providers arrive with the stand-ins (slf4j-nop, logback): choose one, quietly.
    if (System.getProperty("slf4j.provider") == null && present(NOP_PROVIDER)) {
      System.setProperty("slf4j.provider", NOP_PROVIDER);
    }
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
    for (Logger logger : JUL_LOGGERS) {
      logger.setLevel(Level.WARNING);
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, QuietLogging.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
