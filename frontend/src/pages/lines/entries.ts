import type { CustomsLine } from "../../api/types";

export interface EntrySummary {
  entry_id: string;
  port: string;
  arrival: string;
  lines: number;
  value: number;
  duty: number;
}

/** The entries of a set of lines, in first-seen order, with their lines' value and duty summed. */
export function summarizeEntries(lines: CustomsLine[]): EntrySummary[] {
  const byId = new Map<string, EntrySummary>();
  for (const line of lines) {
    let entry = byId.get(line.entry_id);
    if (!entry) {
      entry = { entry_id: line.entry_id, port: line.port, arrival: line.arrival, lines: 0, value: 0, duty: 0 };
      byId.set(line.entry_id, entry);
    }
    entry.lines += 1;
    entry.value += line.value;
    // Duty is decimal text; summing in cents keeps the total exact.
    entry.duty += Math.round(Number(line.duty) * 100);
  }
  return [...byId.values()].map((e) => ({ ...e, duty: e.duty / 100 }));
}
