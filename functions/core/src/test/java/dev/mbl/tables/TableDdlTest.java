package dev.mbl.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-only part of a tables file: each table's target DDL; and placeholder roles locally. */
class TableDdlTest {
  private static final String CONFIG = "{\"copy\": {\"options\": \"CSV IGNOREHEADER 1\", \"role_arn\": "
      + "\"arn:aws:iam::123456789012:role/redshift-copy\", \"table_name\": \"public.trips\"}, "
      + "\"cluster\": {\"identifier\": \"analytics\", \"db_name\": \"dev\"}}";

  @TempDir
  Path folder;

  private Path tablesFile(String extra) throws Exception {
    Path file = folder.resolve("tables.json");
    Files.writeString(file, "{\"tables\": [{\"name\": \"trips\", \"landing\": {\"bucket\": \"create\", "
        + "\"prefix\": \"trips/\"}, \"config\": " + CONFIG + extra + "}]}");
    return file;
  }

  @Test
  void readLocal_inlineDdlLines_joinedAndPlaceholderRoleKept() throws Exception {
    Deployment deployment = TablesFile.readLocal(tablesFile(
        ", \"ddl\": [\"CREATE TABLE public.trips (\", \"  id int, km numeric(8,2))\"]"));

    TableSpec trips = deployment.tables().get(0);
    assertThat(trips.targetDdl()).contains("CREATE TABLE public.trips (\n  id int, km numeric(8,2))");
    assertThat(trips.config().iamRole()).isEqualTo("arn:aws:iam::123456789012:role/redshift-copy");
  }

  @Test
  void readLocal_ddlFile_readRelativeToTheTablesFile() throws Exception {
    Files.writeString(folder.resolve("trips.sql"), "CREATE TABLE public.trips (id int);\n");

    TableSpec trips = TablesFile.readLocal(tablesFile(", \"ddl_file\": \"trips.sql\"")).tables().get(0);

    assertThat(trips.targetDdl()).contains("CREATE TABLE public.trips (id int);");
  }

  @Test
  void readLocal_noDdl_isEmpty() throws Exception {
    assertThat(TablesFile.readLocal(tablesFile("")).tables().get(0).targetDdl()).isEmpty();
  }

  @Test
  void read_ddlAndDdlFileOrMissingFile_failNamingTheField() throws Exception {
    Path both = tablesFile(", \"ddl\": \"CREATE TABLE t (a int)\", \"ddl_file\": \"t.sql\"");
    assertThatThrownBy(() -> TablesFile.readLocal(both)).isInstanceOf(InvalidTablesException.class)
        .hasMessageContaining("$.tables[0]: give at most one of \"ddl\"");
    Path missing = tablesFile(", \"ddl_file\": \"absent.sql\"");
    assertThatThrownBy(() -> TablesFile.readLocal(missing)).hasMessageContaining("$.tables[0].ddl_file: cannot read");
    Path blank = tablesFile(", \"ddl\": \"  \"");
    assertThatThrownBy(() -> TablesFile.readLocal(blank)).hasMessageContaining("$.tables[0].ddl: is empty");
  }

  @Test
  void read_forDeployment_stillRefusesThePlaceholderRole() throws Exception {
    byte[] json = Files.readString(tablesFile("")).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TablesFile.parse(json, "tables.json", folder)).hasMessageContaining("is a placeholder");
  }
}
