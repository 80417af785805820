package dev.mbl.local.redshift;

import dev.mbl.local.redshift.CopyCommand.Flag;
import dev.mbl.local.redshift.CopyCommand.Format;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads the records of a CSV or delimited-text COPY file. CSV: fields may be quoted with the
 * QUOTE character, a doubled quote is a literal one, and quoted fields may span lines. Text:
 * fields are split at the delimiter; with ESCAPE a backslash takes the next character literally,
 * with REMOVEQUOTES surrounding double quotes are removed (and protect delimiters). IGNOREHEADER
 * lines are skipped; IGNOREBLANKLINES skips empty lines. Line ends are LF or CRLF. Pure.
 */
final class DelimitedReader implements Iterator<RawRecord> {
  private final String text;
  private final CopyCommand copy;
  private final boolean csv;
  private int at;
  private long line = 1;
  private RawRecord next;

  DelimitedReader(String text, CopyCommand copy) {
    this.text = text;
    this.copy = copy;
    this.csv = copy.format() == Format.CSV;
    for (int skipped = 0; skipped < copy.ignoreHeader() && at < text.length(); skipped++) {
      int end = text.indexOf('\n', at);
      at = end < 0 ? text.length() : end + 1;
      line++;
    }
  }

  @Override
  public boolean hasNext() {
    while (next == null && at < text.length()) {
      next = read();
    }
    return next != null;
  }

  @Override
  public RawRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RawRecord record = next;
    next = null;
    return record;
  }

  /** Reads the record at {@code at}; null for a skipped blank line. */
  private RawRecord read() {
    int start = at;
    long startLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldStart = true;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (quoted) {
        if (c == quoteChar() && csv && at + 1 < text.length() && text.charAt(at + 1) == quoteChar()) {
          field.append(c);
          at += 2;
          continue;
        }
        if (c == quoteChar()) {
          quoted = false;
        } else {
          field.append(c);
          line += c == '\n' ? 1 : 0;
        }
        at++;
        continue;
      }
      if (c == '\n' || (c == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n')) {
        break;
      }
      if (fieldStart && c == quoteChar() && (csv || copy.has(Flag.REMOVEQUOTES))) {
        quoted = true;
        fieldStart = false;
        at++;
        continue;
      }
      if (!csv && copy.has(Flag.ESCAPE) && c == '\\' && at + 1 < text.length()) {
        field.append(text.charAt(at + 1));
        line += text.charAt(at + 1) == '\n' ? 1 : 0;
        at += 2;
        fieldStart = false;
        continue;
      }
      if (c == copy.delimiter()) {
        fields.add(field.toString());
        field.setLength(0);
        fieldStart = true;
      } else {
        field.append(c);
        fieldStart = false;
      }
      at++;
    }
    int end = at;
    if (at < text.length()) {
      at += text.charAt(at) == '\r' ? 2 : 1;
    }
    line++;
    String raw = text.substring(start, end);
    if (quoted) {
      return RawRecord.unreadable(startLine, raw, 1216, "Unterminated quoted field");
    }
    if (raw.isEmpty() && copy.has(Flag.IGNOREBLANKLINES)) {
      return null;
    }
    fields.add(field.toString());
    return new RawRecord(startLine, raw, fields, null);
  }

  private char quoteChar() {
    return csv ? copy.quote() : '"';
  }
}
