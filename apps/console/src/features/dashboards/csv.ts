/**
 * CSV per chart: the very rows the chart draws and its data table shows, so an export always
 * matches the screen. RFC 4180 quoting; numbers written as they are (no thousands separators).
 */
export interface TColumn<R> {
  key: string;
  label: string;
  /** Right-aligned in the table. */
  numeric?: boolean;
  /** Raw value for the CSV. */
  value: (row: R) => string | number | null;
  /** Display text in the table (defaults to the raw value). */
  format?: (row: R) => string;
}

function cell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<R>(columns: readonly TColumn<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => cell(c.label)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function downloadCsv(fileName: string, csv: string): void {
  const blob = new Blob([csv], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
