import type { Comparison } from "../../api/types";

export interface StreakPoint {
  business_date: string;
  passed: boolean;
  streak: number;
}

/** Each compared business date, oldest first, with the run of consecutive passing days ending there.
 * A date's latest finished comparison is the one that counts. */
export function parityStreak(comparisons: Comparison[]): StreakPoint[] {
  const latest = new Map<string, Comparison>();
  for (const c of comparisons) {
    if (c.status === "requested") continue;
    const seen = latest.get(c.business_date);
    if (!seen || (c.result?.completed_at ?? "") > (seen.result?.completed_at ?? "")) latest.set(c.business_date, c);
  }
  let streak = 0;
  return [...latest.values()]
    .sort((a, b) => a.business_date.localeCompare(b.business_date))
    .map((c) => {
      const passed = c.status === "passed";
      streak = passed ? streak + 1 : 0;
      return { business_date: c.business_date, passed, streak };
    });
}
