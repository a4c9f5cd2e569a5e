import { useDailyTotals } from "../../api/endpoints";
import type { DailyTotal, ParityDay } from "../../api/types";

/** One business date: whether its comparison passed, and what the automated run's entered value and
 * duty differ from the manual run's by, in dollars (automated − manual); null when a side is missing. */
export interface DayDelta {
  business_date: string;
  passed: boolean | null;
  value: number | null;
  duty: number | null;
}

/** The dates with a run or a comparison, oldest first, each with its verdict and signed deltas. */
export function dailyDeltas(totals: DailyTotal[], parity: ParityDay[]): DayDelta[] {
  const dates = new Set([...totals.map((t) => t.business_date), ...parity.map((p) => p.business_date)]);
  const verdicts = new Map(parity.map((p) => [p.business_date, p.passed]));
  const run = (date: string, mode: DailyTotal["mode"]) =>
    totals.find((t) => t.business_date === date && t.mode === mode);
  return [...dates].sort().map((date) => {
    const automated = run(date, "automated");
    const manual = run(date, "manual");
    const both = automated !== undefined && manual !== undefined;
    return {
      business_date: date,
      passed: verdicts.get(date) ?? null,
      value: both ? (automated.value_cents - manual.value_cents) / 100 : null,
      duty: both ? (automated.duty_cents - manual.duty_cents) / 100 : null,
    };
  });
}

/** The daily totals of both modes over the dates the pipeline has produced. */
export function useDailyTotalsOver(dates: string[]) {
  const sorted = [...dates].sort();
  const from = sorted[0] ?? "";
  const to = sorted.at(-1) ?? "";
  const totals = useDailyTotals(from, to, sorted.length > 0);
  return {
    totals: totals.data ?? [],
    pending: totals.isPending && sorted.length > 0,
    error: totals.isError ? totals.error : null,
    refetch: totals.refetch,
  };
}
