package dev.mbl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalStandInsIT {
  @Test
  void s3Proxy_putThenGet_returnsSameBytes() {
    try (LocalS3 s3 = LocalS3.start()) {
      s3.createBucket("landing");
      s3.put("landing", "dir/a b.csv", "1,2\n".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(s3.get("landing", "dir/a b.csv"), StandardCharsets.UTF_8)).isEqualTo("1,2\n");
    }
  }

  @Test
  void dynamoLocal_listTables_startsEmpty() {
    try (LocalDynamo dynamo = LocalDynamo.start()) {
      assertThat(dynamo.client().listTables().tableNames()).isEmpty();
    }
  }
}
