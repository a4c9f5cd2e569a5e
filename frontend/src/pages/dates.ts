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
