import { describe, expect, it } from "vitest";
import { rateDiscrepancy } from "../../test/fixtures";
import { percent } from "../../format";
import { causeSentence, discrepanciesCsv, reportValue, shownDelta, shownValue } from "./explained";

describe("an explained discrepancy as the analysts read it", () => {
  it("shows rates as percentages named by their HTS number, money as currency and deltas signed", () => {
    expect(percent("0.027")).toBe("2.7 %");
    expect(shownValue("rates", "0.10 0.027", rateDiscrepancy.sides.actual)).toBe(
      "9903.03.01: 10 %; 8517.62.00.90: 2.7 %",
    );
    expect(shownValue("duty", "2827.02", null)).toBe("$2,827.02");
    expect(shownDelta(rateDiscrepancy.fields[1]!)).toBe("+$601.02");
    expect(shownDelta({ ...rateDiscrepancy.fields[1]!, delta: "-21" })).toBe("-$21.00");
  });

  it("names each rate of a report's row by the HTS number of the stack it belongs to", () => {
    expect(reportValue("rates", "0.25;0.026", "9903.88.15;8536.69.80.00")).toBe(
      "9903.88.15: 25 %; 8536.69.80.00: 2.6 %",
    );
    expect(reportValue("mpf", "32.71", null)).toBe("$32.71");
    expect(reportValue("stack", "9903.88.15;8536.69.80.00", null)).toBe("9903.88.15;8536.69.80.00");
  });

  it("says the cause as one sentence citing each side's source and version", () => {
    expect(causeSentence(rateDiscrepancy.input_differences[0]!)).toBe(
      "hts-reference 8517620090 general_rate: manual 0 % (HTS_Code.csv row 14, version mmmmmmmm) vs automated 2.7 % (ZFMIOR001, version aaaaaaaa)",
    );
  });

  it("says a blank cell is blank, in a rate column too, and an absent row's side as a dash", () => {
    const [found] = rateDiscrepancy.input_differences;
    const blank = { ...found!, expected: { ...found!.expected, value: "" }, actual: { ...found!.actual, value: " " } };
    expect(causeSentence(blank)).toBe(
      "hts-reference 8517620090 general_rate: manual (blank) (HTS_Code.csv row 14, version mmmmmmmm) vs automated (blank) (ZFMIOR001, version aaaaaaaa)",
    );
    const absent = { ...found!, expected: { ...found!.expected, value: null } };
    expect(causeSentence(absent)).toMatch(/^hts-reference 8517620090 general_rate: manual — \(/);
  });

  it("exports one CSV row per differing field with the cause, formulas neutralised", () => {
    const csv = discrepanciesCsv("cmp-1", [rateDiscrepancy]).split("\r\n");
    expect(csv[0]).toBe(
      "comparison_id,discrepancy,level,entry_id,expected_line,actual_line,hts10,origin,part,outcome,field,expected,actual,delta,tolerance,critical,cause",
    );
    expect(csv).toHaveLength(4);
    expect(csv[2]).toContain(',duty,2226.00,2827.02,601.02,±1.00,true,"hts-reference 8517620090 general_rate');
    const injected = { ...rateDiscrepancy, entry_id: "=HYPERLINK(1)" };
    expect(discrepanciesCsv("cmp-1", [injected])).toContain(",'=HYPERLINK(1),");
  });
});
