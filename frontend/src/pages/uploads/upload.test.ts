import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { misnamed, problemsOf, processing, type UploadFormats, type UploadHistoryEntry } from "./upload";

const formats = {
  files: [
    { filename: "HTS Tariff.csv", kind: "hts_tariff", header: ["Chapter 99 Code"] },
    { filename: "Invoice_Lines.csv", kind: "invoice_lines", header: ["Billing Doc"] },
  ],
} as unknown as UploadFormats;

const named = (...names: string[]) => names.map((n) => new File(["x"], n));

describe("the name check", () => {
  it("accepts exactly the names the API lists", () => {
    expect(misnamed(named("HTS Tariff.csv", "Invoice_Lines.csv"), formats).size).toBe(0);
  });

  it("names the accepted spelling of a file whose name differs only in case", () => {
    expect(misnamed(named("invoice_lines.CSV"), formats).get("invoice_lines.CSV")).toBe(
      "the name must be exactly Invoice_Lines.csv (case matters)",
    );
  });

  it("refuses a name that is no legacy file at all, and a space replaced by an underscore", () => {
    const refused = misnamed(named("notes.txt", "HTS_Tariff.csv", "HTS Tariff.csv"), formats);
    expect([...refused.keys()]).toEqual(["notes.txt", "HTS_Tariff.csv"]);
    expect(refused.get("notes.txt")).toBe("not one of the accepted file names");
  });
});

describe("the problem list", () => {
  it("is empty for an error that is not the API's refusal", () => {
    expect(problemsOf(new Error("offline")).size).toBe(0);
    expect(problemsOf(new ApiError(500, "boom", "<html>")).size).toBe(0);
  });

  it("counts a file's problems by kind, most frequent first, and says how many are not listed", () => {
    const refusal = new ApiError(422, "refused", {
      detail: "at least 10000 problem(s); nothing was stored",
      errors: [{ file: "Invoice_Lines.csv", row: 2, column: "Quantity", rule: "not_a_number", message: "…" }],
      summary: [
        {
          file: "Invoice_Lines.csv",
          problems: 10000,
          by_rule: { invalid_date: 1250, not_a_number: 8750 },
          by_column: {},
          stopped_at_row: 1251,
          listed: 1,
        },
      ],
    });
    const found = problemsOf(refusal).get("Invoice_Lines.csv")!;
    expect(found.byRule).toEqual([
      ["not_a_number", 8750],
      ["invalid_date", 1250],
    ]);
    expect(found.unlisted).toBe(9999);
    expect(found.stoppedAtRow).toBe(1251);
  });

  it("counts the listed problems of a refusal that has no summary", () => {
    const refusal = new ApiError(422, "refused", {
      detail: "2 problem(s)",
      errors: [
        { file: "x.csv", row: null, column: null, rule: "unknown_file", message: "…" },
        { file: "x.csv", row: null, column: null, rule: "unknown_file", message: "…" },
      ],
    });
    expect(problemsOf(refusal).get("x.csv")).toMatchObject({ total: 2, unlisted: 0, byRule: [["unknown_file", 2]] });
  });
});

describe("an upload in the history", () => {
  const entry = (outcomes: string[]): UploadHistoryEntry =>
    ({
      files: [{ filename: "HTS Tariff.csv" }, { filename: "Invoice_Lines.csv" }],
      outcomes: outcomes.map((o) => {
        const [dataset, status] = o.split(" ");
        return { dataset, status };
      }),
    }) as unknown as UploadHistoryEntry;

  it("is processing until the ETL has answered for every file, quarantined rows aside", () => {
    expect(processing(entry([]))).toBe(true);
    expect(processing(entry(["transactions quarantined", "transactions published"]))).toBe(true);
    expect(processing(entry(["transactions published", "tariff-provisions held"]))).toBe(false);
  });
});
