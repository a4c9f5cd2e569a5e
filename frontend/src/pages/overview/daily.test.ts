import { describe, expect, it } from "vitest";
import type { DailyTotal, Mode } from "../../api/types";
import { dailyDeltas } from "./daily";

function total(business_date: string, mode: Mode, value_cents: number, duty_cents: number): DailyTotal {
  return { business_date, mode, entries: 1, lines: 1, value_cents, duty_cents, mpf_cents: 0, hmf_cents: 0 };
}

describe("each day's comparison and automated − manual", () => {
  it("signs the difference automated minus manual in dollars, beside the day's verdict, oldest first", () => {
    // GIVEN two days with both runs, the later one compared and failed, the earlier passed
    const totals = [
      total("2026-03-31", "automated", 100_00, 10_00),
      total("2026-03-31", "manual", 125_50, 9_00),
      total("2026-03-30", "manual", 50_00, 2_00),
      total("2026-03-30", "automated", 50_00, 2_00),
    ];
    const parity = [
      { business_date: "2026-03-31", passed: false, streak: 0 },
      { business_date: "2026-03-30", passed: true, streak: 1 },
    ];
    // WHEN the days are drawn THEN each carries its verdict and signed differences
    expect(dailyDeltas(totals, parity)).toEqual([
      { business_date: "2026-03-30", passed: true, value: 0, duty: 0 },
      { business_date: "2026-03-31", passed: false, value: -25.5, duty: 1 },
    ]);
  });

  it("says nothing about a difference while a run is missing, nor a verdict while a day is not compared", () => {
    expect(dailyDeltas([total("2026-04-01", "manual", 1_00, 0)], [])).toEqual([
      { business_date: "2026-04-01", passed: null, value: null, duty: null },
    ]);
  });
});
