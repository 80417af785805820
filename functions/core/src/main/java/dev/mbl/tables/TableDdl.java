package dev.mbl.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A table entry's target-table SQL for the local warehouse: {@code "ddl"} (a string, or an array
 * of strings joined by newlines, for readable multi-line JSON) or {@code "ddl_file"} (a path
 * relative to the tables file). Optional: without it the target table must exist already.
 */
final class TableDdl {
  private TableDdl() {}

  /** The SQL text, or null when the entry gives none; problems are added with the entry's JSON path. */
  static String read(JsonNode node, String path, Path folder, List<String> problems) {
    boolean inline = node.has("ddl");
    boolean file = node.has("ddl_file");
    if (inline && file) {
      problems.add(path + ": give at most one of \"ddl\" (CREATE TABLE inline) and \"ddl_file\" "
          + "(a .sql file relative to the tables file)");
      return null;
    }
    if (inline) {
      return inline(node.get("ddl"), path + ".ddl", problems);
    }
    if (file) {
      Path sql = folder.resolve(node.get("ddl_file").asText("")).normalize();
      try {
        return nonBlank(Files.readString(sql, StandardCharsets.UTF_8), path + ".ddl_file", problems);
      } catch (IOException unreadable) {
        problems.add(path + ".ddl_file: cannot read " + sql + " (" + unreadable.getClass().getSimpleName()
            + "); fix: give a path relative to the tables file, e.g. orders.sql");
        return null;
      }
    }
    return null;
  }

  private static String inline(JsonNode ddl, String path, List<String> problems) {
    if (ddl.isTextual()) {
      return nonBlank(ddl.asText(), path, problems);
    }
    if (ddl.isArray() && !ddl.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode line : ddl) {
        if (!line.isTextual()) {
          problems.add(path + ": every element must be a string (lines of the SQL)");
          return null;
        }
        text.append(line.asText()).append('\n');
      }
      return nonBlank(text.toString(), path, problems);
    }
    problems.add(path + ": must be the CREATE TABLE statement as a string or an array of lines");
    return null;
  }

  private static String nonBlank(String sql, String path, List<String> problems) {
    if (sql.isBlank()) {
      problems.add(path + ": is empty; fix: the CREATE TABLE statement of the target table");
      return null;
    }
    return sql.strip();
  }
}
