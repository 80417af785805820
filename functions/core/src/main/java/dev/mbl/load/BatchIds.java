package dev.mbl.load;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Batch ids: 26-character ULIDs (48-bit milliseconds, 80 random bits, Crockford base32), so they
 * sort by creation time, are unique without coordination, and fit the Data API's client token.
 */
public final class BatchIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private final SecureRandom random = new SecureRandom();

  public String next(Instant now) {
    char[] out = new char[26];
    long time = now.toEpochMilli();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] bytes = new byte[10];
    random.nextBytes(bytes);
    long high = 0;
    long low = 0;
    for (int i = 0; i < 5; i++) {
      high = (high << 8) | (bytes[i] & 0xff);
      low = (low << 8) | (bytes[i + 5] & 0xff);
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (high & 31)];
      high >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (low & 31)];
      low >>>= 5;
    }
    return new String(out);
  }
}
