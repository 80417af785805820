package dev.mbl.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --local} reads the state file `./mbl local up` writes (dev.mbl.cli.LocalControl). */
class LocalStateTest {
  @TempDir
  Path folder;

  @Test
  void read_stateFileOfLocalUp_givesEdgeCredentialsAndNames() throws Exception {
    Path file = folder.resolve("local.json");
    Files.writeString(file, """
        {"edge":"http://127.0.0.1:4566","region":"us-east-1","account":"000000000000","access_key_id":"local",
         "secret_access_key":"local-secret","tracker_table":"mbl-tracker","config_bucket":"mbl-config",
         "log":"/tmp/x.log"}""");
    assertThat(LocalState.read(file)).isEqualTo(new LocalState(URI.create("http://127.0.0.1:4566"), "us-east-1",
        "local", "local-secret", "mbl-tracker", "mbl-config"));
  }

  @Test
  void read_fieldMissing_namesFieldAndFix() throws Exception {
    Path file = folder.resolve("local.json");
    Files.writeString(file, "{\"edge\":\"http://127.0.0.1:4566\"}");
    assertThatThrownBy(() -> LocalState.read(file)).isInstanceOf(UsageException.class)
        .hasMessageContaining("has no \"region\": restart ./mbl local up");
  }
}
