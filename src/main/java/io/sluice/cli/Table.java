package io.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, for {@code -o table}. */
final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(final String... header) {
        this.header = List.of(header);
    }

    Table row(final Object... cells) {
        final List<String> row = new ArrayList<>(cells.length);
        for (final Object cell : cells) {
            row.add(cell == null ? "-" : String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    List<String> header() {
        return header;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(final PrintWriter out) {
        final int[] widths = new int[header.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = header.get(column).length();
            for (final List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        printRow(out, header, widths);
        rows.forEach(row -> printRow(out, row, widths));
        out.flush();
    }

    private static void printRow(final PrintWriter out, final List<String> cells, final int[] widths) {
        final StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            final String cell = cells.get(column);
            line.append(cell);
            if (column < cells.size() - 1) {
                line.append(" ".repeat(widths[column] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
