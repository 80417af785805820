package dev.mbl.health;

/**
 * How a table stands, worst last. The code is the value of the CloudWatch metric {@code Health}
 * and the exit code of {@code mbl status}.
 */
public enum Health {
  /** Loading as expected. */
  OK(0),
  /** mbl is coping on its own (retries, back-off) or data is late; nothing is lost. */
  WARN(1),
  /** An operator must act: a file is set aside, a lock is stuck, messages are dead, or setup is broken. */
  CRITICAL(2);

  private final int code;

  Health(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public Health worse(Health other) {
    return other.code > code ? other : this;
  }
}
