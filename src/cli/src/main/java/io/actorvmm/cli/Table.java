package io.actorvmm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A text table: a header row and rows, columns aligned with two spaces between them. */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private String indent = "";

  /** A table with these column headers. */
  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  /** Indents every line by {@code prefix} (for tables inside a block). */
  public Table indent(String prefix) {
    this.indent = prefix;
    return this;
  }

  /** Adds a row; null cells print as "-". */
  public Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      Object cell = i < cells.length ? cells[i] : null;
      row.add(cell == null || cell.toString().isEmpty() ? "-" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  /** True when no row was added. */
  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the table, or {@code whenEmpty} alone when it has no rows. */
  public void print(PrintWriter out, String whenEmpty) {
    if (rows.isEmpty()) {
      out.println(indent + whenEmpty);
      return;
    }
    print(out);
  }

  /** Prints the header and every row. */
  public void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) widths[i] = Math.max(widths[i], row.get(i).length());
    }
    line(out, headers, widths);
    for (List<String> row : rows) line(out, row, widths);
  }

  private void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder(indent);
    for (int i = 0; i < cells.size(); i++) {
      b.append(cells.get(i));
      if (i < cells.size() - 1) b.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
    }
    out.println(b);
  }
}
