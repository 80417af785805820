package dev.mbl.cli.soak;

import dev.mbl.load.TableKey;

/**
 * One table of the soak: {@code public.soak_t<i>}, fed from {@code s3://mbl-soak/t<i>/} through
 * queue {@code soak-t<i>}; even tables append {@code (file, line, val)}, odd ones merge
 * {@code (id, ts, val, file)} on {@code id} with timestamp {@code ts}.
 */
public record SoakTable(int index) {
  public static final String BUCKET = "mbl-soak";
  static final String ROLE = "arn:aws:iam::123456789012:role/redshift-copy";

  public boolean merge() {
    return index % 2 == 1;
  }

  public String name() {
    return "soak_t" + index;
  }

  public String queue() {
    return "soak-t" + index;
  }

  public String prefix() {
    return "t" + index + "/";
  }

  public TableKey key() {
    return TableKey.parse("analytics/dev/public." + name());
  }

  public String ddl() {
    return merge() ? "CREATE TABLE public." + name() + " (id int4, ts int8, val int4, file varchar(200))"
        : "CREATE TABLE public." + name() + " (file varchar(200), line int4, val int4)";
  }

  public String config() {
    String options = merge() ? "\"merge_duplicate_pks\":true,\"merge_pk\":\"id\",\"merge_timestamp\":\"ts\""
        : "\"merge_duplicate_pks\":false";
    return "{\"copy\":{\"options\":\"FORMAT AS CSV\",\"role_arn\":\"" + ROLE + "\",\"table_name\":\"public."
        + name() + "\"},\"cluster\":{\"identifier\":\"analytics\",\"db_name\":\"dev\"},\"options\":{" + options + "}}";
  }

  /** The rows the table holds, one string per row, in the same form as {@link SoakVersion#rows()}. */
  public String select() {
    return merge() ? "SELECT id, ts, val, file FROM public." + name() : "SELECT file, line, val FROM public." + name();
  }
}
