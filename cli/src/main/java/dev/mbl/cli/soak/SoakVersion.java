package dev.mbl.cli.soak;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One uploaded object version and the rows it carries ({@code a|b|c} strings, as the table
 * check reads them back). A bad version carries one row Redshift rejects ("not-a-number" in an
 * integer column); its good rows are listed but must never load.
 *
 * @param eTag S3's eTag once uploaded (null before)
 */
public record SoakVersion(SoakTable table, String key, int generation, List<String> rows, boolean bad,
    String eTag) {
  public SoakVersion {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
    rows = List.copyOf(rows);
  }

  public SoakVersion uploaded(String uploadedETag) {
    return new SoakVersion(table, key, generation, rows, bad, uploadedETag);
  }

  /** The CSV body: each row's fields comma-separated; a bad version's last row has a non-integer value. */
  public byte[] body() {
    StringBuilder csv = new StringBuilder();
    for (String row : rows) {
      csv.append(row.replace('|', ',')).append('\n');
    }
    if (bad) {
      csv.append(table.merge() ? "1,1,not-a-number," + key : key + ",0,not-a-number").append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  public String url() {
    return "s3://" + SoakTable.BUCKET + "/" + key;
  }

  @Override
  public String toString() {
    return url() + " (generation " + generation + (eTag == null ? "" : ", eTag " + eTag) + (bad ? ", bad" : "") + ")";
  }
}
