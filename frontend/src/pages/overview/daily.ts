import { useDailyTotals } from "../../api/endpoints";
import type { DailyTotal } from "../../api/types";

/** One business date's entered value and duty in dollars, by mode (`value:manual`, `duty:automated`). */
export interface DailyPoint {
  business_date: string;
  [series: string]: number | string;
}

export function pivot(totals: DailyTotal[]): { points: DailyPoint[]; series: string[] } {
  const byDate = new Map<string, DailyPoint>();
  const series = new Set<string>();
  for (const t of totals) {
    series.add(t.mode);
    const point = byDate.get(t.business_date) ?? { business_date: t.business_date };
    point[`value:${t.mode}`] = t.value_cents / 100;
    point[`duty:${t.mode}`] = t.duty_cents / 100;
    byDate.set(t.business_date, point);
  }
  const points = [...byDate.values()].sort((a, b) => a.business_date.localeCompare(b.business_date));
  return { points, series: [...series].sort() };
}

/** The daily totals of both modes over the dates the pipeline has produced. */
export function useDailySeries(dates: string[]) {
  const sorted = [...dates].sort();
  const from = sorted[0] ?? "";
  const to = sorted.at(-1) ?? "";
  const totals = useDailyTotals(from, to, sorted.length > 0);
  return {
    ...pivot(totals.data ?? []),
    pending: totals.isPending && sorted.length > 0,
    error: totals.isError ? totals.error : null,
  };
}
