// What the charts share: the verdict colours (AA contrast on white) and a date short enough for a
// phone's axis.
export const PASSED = "#1b6e3a";
export const FAILED = "#b3261e";
export const UNCOMPARED = "#6b7280";

/** `2026-03-17` → `03-17`: the year is in the caption and the table. */
export function shortDate(date: string): string {
  return date.slice(5);
}
