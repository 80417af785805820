package dev.mbl.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mbl.config.WarehouseTarget;
import dev.mbl.sql.Column;
import dev.mbl.sql.Identifier;
import dev.mbl.sql.TableName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeTableResponse;

/** describeTable reads what DescribeTable's ColumnMetadata says about identity, defaults and NULL. */
class DataApiWarehouseDescribeTableTest {
  private static final WarehouseTarget CLUSTER = WarehouseTarget.cluster("analytics", "dev");

  @Test
  void describeTable_identityDefaultAndNotNull_mappedOntoColumns() {
    DescribingClient client = new DescribingClient(List.of(
        column("id", "int8", "\"identity\"(106342, 0, '1,1'::text)", 0),
        column("seq", "int8", "default_identity(106342, 1, '1,1'::text)", 0),
        column("loaded_at", "timestamp", "getdate()", 0),
        column("Größe", "int4", null, 1),
        column("note", "varchar", null, 0)));

    List<Column> columns = new DataApiWarehouse(client).describeTable(CLUSTER, TableName.of("sales", "orders"));

    assertThat(columns).containsExactly(
        new Column(Identifier.exact("id"), "int8", Column.Identity.ALWAYS, false, false),
        new Column(Identifier.exact("seq"), "int8", Column.Identity.BY_DEFAULT, false, false),
        new Column(Identifier.exact("loaded_at"), "timestamp", Column.Identity.NONE, true, false),
        new Column(Identifier.exact("Größe"), "int4", Column.Identity.NONE, false, true),
        new Column(Identifier.exact("note"), "varchar", Column.Identity.NONE, false, false));
    assertThat(client.requests).singleElement().satisfies(request -> {
      assertThat(request.schema()).isEqualTo("sales");
      assertThat(request.table()).isEqualTo("orders");
    });
  }

  private static ColumnMetadata column(String name, String type, String columnDefault, int nullable) {
    return ColumnMetadata.builder().name(name).typeName(type).columnDefault(columnDefault).nullable(nullable).build();
  }

  /** The SDK interface answering DescribeTable from a fixed column list; every other call is unsupported. */
  private static final class DescribingClient implements RedshiftDataClient {
    private final List<ColumnMetadata> columns;
    private final List<DescribeTableRequest> requests = new ArrayList<>();

    DescribingClient(List<ColumnMetadata> columns) {
      this.columns = columns;
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
      requests.add(request);
      return DescribeTableResponse.builder().columnList(columns).build();
    }

    @Override
    public String serviceName() {
      return "redshift-data";
    }

    @Override
    public void close() {}
  }
}
