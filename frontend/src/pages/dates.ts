import { useQuery } from "@tanstack/react-query";
import { api } from "../api/endpoints";

/** The business dates the pipeline has produced something for, newest first: from the official runs
 * and the comparisons, which every operator may read. */
export function useKnownDates(): string[] {
  const cutover = useQuery({ queryKey: ["cutover"], queryFn: api.cutover });
  const comparisons = useQuery({ queryKey: ["comparisons"], queryFn: api.comparisons });
  const dates = new Set<string>();
  for (const run of cutover.data?.official_runs ?? []) dates.add(run.business_date);
  for (const comparison of comparisons.data ?? []) dates.add(comparison.business_date);
  return [...dates].sort().reverse();
}

/** The known dates nearest to `date` (before and after it), nearest first. */
export function nearestDates(date: string, known: string[], count = 3): string[] {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  return known
    .filter((d) => d !== date)
    .sort((a, b) => Math.abs(day(a) - day(date)) - Math.abs(day(b) - day(date)) || a.localeCompare(b))
    .slice(0, count);
}
