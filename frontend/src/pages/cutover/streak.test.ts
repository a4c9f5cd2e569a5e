import { describe, expect, it } from "vitest";
import type { Comparison } from "../../api/types";
import { parityStreak } from "./streak";

function comparison(date: string, status: Comparison["status"], completedAt = "2026-04-01T00:00:00Z"): Comparison {
  return {
    comparison_id: `cmp-${date}-${completedAt}`,
    business_date: date,
    status,
    requested: null,
    result: status === "requested" ? null : { passed: status === "passed", completed_at: completedAt },
    discrepancy: null,
  };
}

describe("the parity streak", () => {
  it("counts consecutive passing days and restarts after a failure", () => {
    const points = parityStreak([
      comparison("2026-03-31", "passed"),
      comparison("2026-03-27", "passed"),
      comparison("2026-03-30", "failed"),
      comparison("2026-04-01", "passed"),
    ]);
    expect(points.map((p) => [p.business_date, p.streak])).toEqual([
      ["2026-03-27", 1],
      ["2026-03-30", 0],
      ["2026-03-31", 1],
      ["2026-04-01", 2],
    ]);
  });

  it("counts a date's latest finished comparison and ignores pending ones", () => {
    const points = parityStreak([
      comparison("2026-03-30", "failed", "2026-04-01T00:00:00Z"),
      comparison("2026-03-30", "passed", "2026-04-02T00:00:00Z"),
      comparison("2026-03-31", "requested"),
    ]);
    expect(points).toEqual([{ business_date: "2026-03-30", passed: true, streak: 1 }]);
  });
});
