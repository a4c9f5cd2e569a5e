import type { Comparison, ComparisonReport, Frame } from "../../api/types";

/** One row of the discrepancy table; `level` and the key columns are there when the API sends the
 * per-line mismatches, only the field summary otherwise. */
export interface DiscrepancyRow {
  level: string | null;
  entry_id: string | null;
  hts10: string | null;
  stack: string | null;
  field: string;
  expected: string | null;
  actual: string | null;
  delta: string | null;
  tolerance: string | null;
  critical: boolean;
  mismatches: number | null;
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function fromFrame(frame: Frame): DiscrepancyRow[] {
  return frame.rows.map((values) => {
    const row = Object.fromEntries(frame.columns.map((name, i) => [name, values[i]]));
    return {
      level: text(row.level),
      entry_id: text(row.entry_id),
      hts10: text(row.hts10),
      stack: text(row.stack),
      field: String(row.field ?? ""),
      expected: text(row.expected),
      actual: text(row.actual),
      delta: text(row.delta),
      tolerance: text(row.tolerance),
      critical: Boolean(row.critical),
      mismatches: null,
    };
  });
}

/** The discrepancies of a comparison: every mismatching field of every line and entry from its
 * report, else (report not readable) the summary per field: the largest delta and how many disagree. */
export function discrepancyRows(comparison: Comparison, report?: ComparisonReport): DiscrepancyRow[] {
  if (report?.mismatches && Array.isArray(report.mismatches.columns)) return fromFrame(report.mismatches);
  const found = comparison.discrepancy;
  if (!found) return [];
  return (found.worst_fields ?? []).map((w) => ({
    level: w.field.startsWith("entry_") ? "entry" : "line",
    entry_id: null,
    hts10: null,
    stack: null,
    field: w.field,
    expected: null,
    actual: null,
    delta: w.max_abs_delta,
    tolerance: null,
    critical: w.critical,
    mismatches: w.mismatches,
  }));
}

export interface DiscrepancyFilter {
  field: string;
  outcome: "" | "critical" | "non-critical";
}

export function filterRows(rows: DiscrepancyRow[], where: DiscrepancyFilter): DiscrepancyRow[] {
  return rows.filter(
    (r) =>
      (where.field === "" || r.field === where.field) &&
      (where.outcome === "" || (where.outcome === "critical") === r.critical),
  );
}
