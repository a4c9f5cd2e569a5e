import type {
  Comparison,
  ComparisonReport,
  CustomsLine,
  CustomsLinesPage,
  Cutover,
  ExplainedDiscrepancy,
  Frame,
} from "../api/types";

export const sampleLine: CustomsLine = {
  entry_id: "1001-20260330-SH26033000008",
  port: "1001",
  arrival: "2026-03-30",
  line: 1,
  description: "Memory modules suitable for use solely or principally with machines of heading 8471",
  duties: { "8473.30.11.40": "0.00", "9903.03.01": "475.70" },
  duty: "475.70",
  gross_kg: 6,
  net_kg: 3,
  hts10: "8473.30.11.40",
  lineage: {
    datasets: { "product-master": "efb67bc37d807c72ca7f1569", "tariff-provisions": "dd5430f4944665df05744ab4" },
    provisions: { "9903.03.01": [1] },
  },
  origin: "MY",
  part: "whole",
  quantity: { "No.": 198 },
  rates: { "8473.30.11.40": "0", "9903.03.01": "0.1" },
  stack: ["9903.03.01", "8473.30.11.40"],
  value: 4757,
  sources: [
    ["9000000024", 50],
    ["9000000025", 10],
  ],
  source_materials: ["10000042", "10000031"],
  materials: ["10000031", "10000042"],
};

export const linesPage: CustomsLinesPage = {
  business_date: "2026-03-30",
  mode: "manual",
  run_id: "cus-20260330-manual-092872d41492a172d54f3330",
  official: true,
  totals: {
    duty_cents: 17411890,
    entered_value_cents: 149273000,
    entries: 26,
    hmf_cents: 111099,
    lines: 128,
    mpf_cents: 523384,
  },
  fallbacks: [],
  quarantined_lines: 1,
  page: 1,
  page_size: 100,
  total: 1,
  filtered_totals: { lines: 1, entries: 1, value: 4800, duty_cents: 48000 },
  lines: [sampleLine],
  entries: [
    {
      entry_id: "1001-20260330-SH26033000008",
      port: "1001",
      arrival: "2026-03-30",
      formal: true,
      flags: [],
      totals: { value: 18230, duty: "1822.95", mpf: "63.15", hmf: "22.79" },
      lines: 3,
    },
    {
      entry_id: "1001-20260330-SH26033000009",
      port: "1001",
      arrival: "2026-03-30",
      formal: false,
      flags: ["informal"],
      totals: { value: 1900, duty: "0.00", mpf: null, hmf: "2.38" },
      lines: 2,
    },
  ],
};

const FAILED_COUNTS = {
  entries: { match: 25, mismatch: 1, missing: 0, extra: 0, duplicate: 0 },
  lines: { match: 126, mismatch: 2, missing: 0, extra: 0, duplicate: 0 },
};
const REPORTS = "s3://ior-local-audit/compare/reports/cmp-20260330-fa6aacd4edadc7d4";

export const failedComparison: Comparison = {
  comparison_id: "cmp-20260330-fa6aacd4edadc7d4",
  business_date: "2026-03-30",
  status: "failed",
  requested: null,
  result: {
    comparison_id: "cmp-20260330-fa6aacd4edadc7d4",
    business_date: "2026-03-30",
    passed: false,
    completed_at: "2026-11-26T04:07:07.552967+00:00",
    expected_run_id: "cus-20260330-manual-1",
    actual_run_id: "cus-20260330-automated-1",
    config_version: "c0nf1g",
    counts: FAILED_COUNTS,
    report_uri: `${REPORTS}/report.json`,
    report_html_uri: `${REPORTS}/report.html`,
  },
  discrepancy: {
    comparison_id: "cmp-20260330-fa6aacd4edadc7d4",
    business_date: "2026-03-30",
    counts: FAILED_COUNTS,
    report_uri: `${REPORTS}/report.json`,
    report_html_uri: `${REPORTS}/report.html`,
    worst_fields: [
      { field: "value", critical: true, max_abs_delta: "255", mismatches: 1 },
      { field: "gross_kg", critical: false, max_abs_delta: "54", mismatches: 1 },
    ],
  },
};

export const shadowGate: Cutover = {
  state: "shadow",
  effective_date: null,
  changes: [],
  official_runs: [],
  streak: null,
  required_streak: null,
  parity: [],
};

/** A line whose HTS number's general rate differs between the two runs' inputs. */
export const rateDiscrepancy: ExplainedDiscrepancy = {
  id: "1",
  level: "line",
  entry_id: "2709-20260316-SH2001",
  hts10: "8517.62.00.90",
  origin: "VN",
  part: "whole",
  outcome: "mismatch",
  critical: true,
  expected_line: 5,
  actual_line: 5,
  fields: [
    { field: "rates", expected: "0.10 0", actual: "0.10 0.027", differs: true, delta: null, tolerance: "exact", critical: true },
    { field: "duty", expected: "2226.00", actual: "2827.02", differs: true, delta: "601.02", tolerance: "±1.00", critical: true },
    { field: "net_kg", expected: "132", actual: "132", differs: false, delta: null, tolerance: null, critical: false },
  ],
  sides: {
    expected: {
      line: 5,
      description: "Other data transmission apparatus",
      stack: [
        { number: "9903.03.01", rate: "0.10", duty: "2226.00", provision_rows: [1] },
        { number: "8517.62.00.90", rate: "0", duty: "0.00", provision_rows: null },
      ],
      values: {},
      sources: [
        ["90020001", 10],
        ["90020002", 20],
      ],
      source_materials: ["10000042", null],
      datasets: { "hts-reference": "mmmmmmmmmmmmmmmm" },
    },
    actual: {
      line: 5,
      description: "Other data transmission apparatus",
      stack: [
        { number: "9903.03.01", rate: "0.10", duty: "2226.00", provision_rows: [1] },
        { number: "8517.62.00.90", rate: "0.027", duty: "601.02", provision_rows: null },
      ],
      values: {},
      sources: [["90020001", 10]],
      source_materials: [null],
      datasets: { "hts-reference": "aaaaaaaaaaaaaaaa" },
    },
  },
  input_differences: [
    {
      dataset: "hts-reference",
      key: "8517620090",
      field: "general_rate",
      expected: {
        value: "0",
        version: "mmmmmmmmmmmmmmmm",
        made_from: ["HTS_Code.csv"],
        source: { file: "HTS_Code.csv", row: 14 },
      },
      actual: { value: "0.027", version: "aaaaaaaaaaaaaaaa", made_from: ["ZFMIOR001"] },
    },
  ],
};


const noRows: Frame = { columns: [], rows: [] };
const noneOf = { match: 0, mismatch: 0, missing: 0, extra: 0, duplicate: 0 };

/** A failing comparison's `report.json` (`compare-report/1`) with these mismatches. */
export function failedReport(mismatches: Frame): ComparisonReport {
  return {
    schema_version: "compare-report/1",
    metadata: { comparison_id: failedComparison.comparison_id },
    config_version: "3f2a9c0d1e4b5a67",
    tolerances: [],
    passed: false,
    failure_reasons: ["1 critical field out of tolerance"],
    counts: { lines: { ...noneOf, mismatch: mismatches.rows.length }, entries: noneOf },
    worst_fields: [],
    lines: noRows,
    mismatches,
    entries: noRows,
  };
}
