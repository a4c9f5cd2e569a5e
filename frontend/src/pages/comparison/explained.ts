// A comparison's explained discrepancies as the analysts read them: money as currency, rates as
// percentages named by their HTS number, signed deltas, the cause as a sentence, and a CSV of it all.
import { percent } from "../../format";
import type { CitedValue, ExplainedDiscrepancy, ExplainedSide, FieldCompared, InputDifference } from "../../api/types";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const signedUsd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", signDisplay: "exceptZero" });
const signed = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4, signDisplay: "exceptZero" });

const MONEY_FIELDS = new Set(["value", "duty", "entry_value", "entry_duty", "mpf", "hmf"]);
/** Dataset columns holding a rate as a fraction (shown as a percentage). */
const RATE_COLUMNS = new Set(["rate", "general_rate", "company_rate", "official_rate", "metal_share"]);

export function money(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = Number(value);
  return Number.isFinite(n) ? usd.format(n) : value;
}

/** A field's value on one side; rates are named by the HTS number each belongs to. */
export function shownValue(field: string, value: string | null, side: ExplainedSide | null): string {
  if (value === null || value === undefined) return "—";
  if (MONEY_FIELDS.has(field)) return money(value);
  if (field === "rates" && side) return side.stack.map((n) => `${n.number}: ${percent(n.rate)}`).join("; ");
  if (field === "net_kg" || field === "gross_kg") return `${value} kg`;
  return value;
}

/** A report's value: money as currency, `;`-joined rates as percentages named by the stack's numbers. */
export function reportValue(field: string, value: string | null, stack: string | null): string {
  if (value === null) return "—";
  if (field === "rates" && stack) {
    const numbers = stack.split(";");
    const rates = value.split(/[; ]/);
    if (numbers.length === rates.length) return numbers.map((n, i) => `${n}: ${percent(rates[i])}`).join("; ");
  }
  return shownValue(field, value, null);
}

/** actual − expected, signed: currency for money, plain otherwise; "—" where there is none. */
export function shownDelta(found: FieldCompared): string {
  if (found.delta === null) return found.differs ? "differs" : "—";
  const n = Number(found.delta);
  if (!Number.isFinite(n)) return found.delta;
  if (MONEY_FIELDS.has(found.field)) return signedUsd.format(n);
  return signed.format(n) + (found.field.endsWith("_kg") ? " kg" : "");
}

/** Where the cell was read, as a spreadsheet user finds it ("HTS_Code.csv row 14"); else what made its
 * version (a version published before the ETL said where each row was read). */
export function citedSource(cited: CitedValue): string {
  if (cited.source) return `${cited.source.file} row ${cited.source.row}`;
  return cited.made_from.filter(Boolean).join(", ");
}

/** A cited cell as a sentence shows it: an empty cell says so, rather than vanishing between the words. */
export function citedValue(column: string, cited: CitedValue): string {
  const value =
    cited.value === null
      ? "—"
      : cited.value.trim() === ""
        ? "(blank)"
        : RATE_COLUMNS.has(column)
          ? percent(cited.value)
          : cited.value;
  const from = citedSource(cited);
  return `${value} (${from ? `${from}, ` : ""}version ${cited.version.slice(0, 8)})`;
}

/** "hts-reference 8536698000 general_rate: manual 0 % (HTS_Code.csv row 14, version …) vs automated 2.7 % (…)". */
export function causeSentence(found: InputDifference): string {
  return (
    `${found.dataset} ${found.key} ${found.field}: manual ${citedValue(found.field, found.expected)}` +
    ` vs automated ${citedValue(found.field, found.actual)}`
  );
}

export function differingFields(found: ExplainedDiscrepancy): string[] {
  return found.fields.filter((f) => f.differs).map((f) => f.field);
}

export function lineLabel(found: ExplainedDiscrepancy): string {
  if (found.level === "entry") return "entry totals";
  const lines = [found.expected_line, found.actual_line].filter((n) => n !== null);
  const same = lines.length === 2 && lines[0] === lines[1];
  return same ? `line ${lines[0]}` : `manual line ${found.expected_line ?? "—"}, automated line ${found.actual_line ?? "—"}`;
}

export interface ExplainedFilter {
  field: string;
  outcome: "" | "critical" | "non-critical";
}

export function filterExplained(rows: ExplainedDiscrepancy[], where: ExplainedFilter): ExplainedDiscrepancy[] {
  return rows.filter(
    (r) =>
      (where.field === "" || differingFields(r).includes(where.field)) &&
      (where.outcome === "" || (where.outcome === "critical") === r.critical),
  );
}

/** A cell a spreadsheet will not run as a formula; numbers (a negative delta) stay numbers. */
function cell(value: string | number | boolean | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const CSV_COLUMNS = [
  "comparison_id", "discrepancy", "level", "entry_id", "expected_line", "actual_line", "hts10", "origin", "part",
  "outcome", "field", "expected", "actual", "delta", "tolerance", "critical", "cause",
] as const;

/** One row per differing field (a missing or extra item: one row), with the cause in the inputs. */
export function discrepanciesCsv(comparisonId: string, rows: ExplainedDiscrepancy[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const found of rows) {
    const cause = found.input_differences.map(causeSentence).join(" | ");
    const differing = found.fields.filter((f) => f.differs);
    const shown: (FieldCompared | null)[] = differing.length ? differing : [null];
    for (const field of shown) {
      lines.push(
        [
          comparisonId, found.id, found.level, found.entry_id, found.expected_line, found.actual_line, found.hts10,
          found.origin, found.part, found.outcome, field?.field ?? "", field?.expected ?? null, field?.actual ?? null,
          field?.delta ?? null, field?.tolerance ?? null, field ? field.critical : found.critical, cause,
        ]
          .map(cell)
          .join(","),
      );
    }
  }
  return lines.join("\r\n") + "\r\n";
}
