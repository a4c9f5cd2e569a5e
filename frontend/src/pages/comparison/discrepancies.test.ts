import { describe, expect, it } from "vitest";
import type { Comparison } from "../../api/types";
import { failedComparison, failedReport } from "../../test/fixtures";
import { discrepancyRows, filterRows } from "./discrepancies";

const base: Comparison = { ...failedComparison, discrepancy: null };
const discrepancy = failedComparison.discrepancy!;

describe("the discrepancy rows", () => {
  it("come from the report's per-line mismatches when it can be read", () => {
    const rows = discrepancyRows(
      failedComparison,
      failedReport({
        columns: ["level", "entry_id", "hts10", "field", "expected", "actual", "delta", "tolerance", "critical"],
        rows: [["line", "E1", "8517.62.00.20", "value", "4800", "5055", "255", "0", true]],
      }),
    );
    expect(rows).toEqual([
      expect.objectContaining({ entry_id: "E1", field: "value", expected: "4800", actual: "5055", delta: "255", critical: true }),
    ]);
  });

  it("fall back to the summary per field, entry fields at entry level", () => {
    const rows = discrepancyRows({
      ...base,
      discrepancy: {
        ...discrepancy,
        worst_fields: [
          { field: "duty", critical: true, max_abs_delta: "73.14", mismatches: 2 },
          { field: "entry_value", critical: true, max_abs_delta: "255", mismatches: 1 },
          { field: "gross_kg", critical: false, max_abs_delta: "54", mismatches: 1 },
        ],
      },
    });
    expect(rows.map((r) => [r.level, r.field, r.delta, r.mismatches])).toEqual([
      ["line", "duty", "73.14", 2],
      ["entry", "entry_value", "255", 1],
      ["line", "gross_kg", "54", 1],
    ]);
    expect(filterRows(rows, { field: "", outcome: "non-critical" }).map((r) => r.field)).toEqual(["gross_kg"]);
    expect(filterRows(rows, { field: "duty", outcome: "critical" }).map((r) => r.field)).toEqual(["duty"]);
    expect(filterRows(rows, { field: "duty", outcome: "non-critical" })).toEqual([]);
  });

  it("are none for a comparison that passed", () => {
    expect(discrepancyRows({ ...base, status: "passed" })).toEqual([]);
  });
});
