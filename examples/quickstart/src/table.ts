/** One column of a printed table. */
export interface Column<Row> {
  /** Header text. */
  header: string;
  /** Cell text of a row. */
  cell: (row: Row) => string;
  /** Right-align (numbers). */
  right?: boolean;
}

/** Renders `rows` as a plain-text table with a header rule, columns padded to fit. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const format = (line: readonly string[]) =>
    line
      .map((text, index) => (columns[index]!.right ? text.padStart(widths[index]!) : text.padEnd(widths[index]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [format(columns.map((column) => column.header)), rule, ...cells.map(format)].join("\n");
}
