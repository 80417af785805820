package dev.mbl.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.event.S3ObjectRef;
import dev.mbl.load.TableKey;
import dev.mbl.tracker.FileState;
import dev.mbl.tracker.LedgerEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A retry re-ledgers exactly the object version that was quarantined: the same file id. */
class RetryCommandTest {
  private static final TableKey TABLE = TableKey.parse("analytics/dev/public.orders");

  private static LedgerEntry entry(String token) {
    return new LedgerEntry(TABLE, "id", "landing", "orders/a.csv", token, 12, FileState.QUARANTINED, "b", "bad",
        Instant.EPOCH, Instant.EPOCH);
  }

  @Test
  void objectOf_eachVersionTokenForm_rebuildsTheSameToken() {
    for (String token : new String[] {"e:0cc175b9c0f1b6a8", "v:3HL4kqtJlcpXroDTDmJ", "s:0055AED6DCD90281E5"}) {
      S3ObjectRef object = RetryCommand.objectOf(entry(token));
      assertThat(object.versionToken()).isEqualTo(token);
      assertThat(object.url()).isEqualTo("s3://landing/orders/a.csv");
      assertThat(object.size()).isEqualTo(12);
    }
  }

  @Test
  void matches_fullKeySchemaTableOrBareName_caseInsensitive() {
    assertThat(OpsSession.matches(TABLE, "analytics/dev/public.orders")).isTrue();
    assertThat(OpsSession.matches(TABLE, "public.orders")).isTrue();
    assertThat(OpsSession.matches(TABLE, "ORDERS")).isTrue();
    assertThat(OpsSession.matches(TABLE, "web.orders")).isFalse();
  }
}
