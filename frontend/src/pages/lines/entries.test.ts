import { describe, expect, it } from "vitest";
import type { CustomsLine } from "../../api/types";
import { summarizeEntries } from "./entries";

const line = (entry: string, value: number, duty: string) =>
  ({ entry_id: entry, port: "1001", arrival: "2026-03-30", value, duty }) as CustomsLine;

describe("entries summed from their lines", () => {
  it("adds value and duty exactly, in first-seen order", () => {
    const entries = summarizeEntries([line("B", 10, "0.10"), line("A", 5, "0.20"), line("B", 7, "0.20")]);
    expect(entries.map((e) => [e.entry_id, e.lines, e.value, e.duty])).toEqual([
      ["B", 2, 17, 0.3],
      ["A", 1, 5, 0.2],
    ]);
  });
});
