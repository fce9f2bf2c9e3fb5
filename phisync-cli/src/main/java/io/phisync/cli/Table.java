package io.phisync.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Text columns, aligned, for people; machines use --json. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... headings) {
    this.columns = headings.length;
    rows.add(headings);
  }

  Table row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalStateException("expected " + columns + " cells, got " + cells.length);
    }
    rows.add(cells);
    return this;
  }

  boolean isEmpty() {
    return rows.size() == 1;
  }

  void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
