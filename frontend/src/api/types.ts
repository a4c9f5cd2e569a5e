import type { Schemas } from "./typed";
// The API's response shapes, as `services/api/src/ior_api/entrypoints/web/schemas.py` and its routers declare them.

export type Role = "admin" | "operator";
export type Mode = "automated" | "manual";

export interface Session {
  username: string;
  role: Role;
  expires_at: string;
  csrf_token: string;
}

export interface User {
  username: string;
  role: Role;
  active: boolean;
}

export interface Accepted {
  id: string;
  detail_type: string;
  event_id: string;
}

export interface Lineage {
  datasets: Record<string, string>;
  provisions: Record<string, number[]>;
}

export interface CustomsLine {
  entry_id: string;
  port: string;
  arrival: string;
  line: number;
  hts10: string;
  description: string;
  origin: string;
  part: string;
  stack: string[];
  rates: Record<string, string>;
  duties: Record<string, string>;
  quantity: Record<string, number>;
  net_kg: number | null;
  gross_kg: number | null;
  value: number;
  duty: string;
  lineage: Lineage;
  /** The invoice items behind the line: [billing document, item]. */
  sources: [string, number][];
}

export interface RunTotals {
  entries?: number;
  lines?: number;
  entered_value_cents?: number;
  duty_cents?: number;
  mpf_cents?: number;
  hmf_cents?: number;
  [key: string]: number | undefined;
}

export interface CustomsLinesPage {
  business_date: string;
  mode: Mode;
  run_id: string;
  official: boolean;
  totals: RunTotals;
  fallbacks: Record<string, unknown>[];
  quarantined_lines: number;
  page: number;
  page_size: number;
  total: number;
  /** What the lines matching the filters add up to, over all pages; `totals` is the whole run's. */
  filtered_totals: { lines: number; entries: number; value: number; duty_cents: number };
  lines: CustomsLine[];
  /** Every entry with a line matching the filters, over all pages, with its totals as filed. */
  entries: EntrySummary[];
}

export interface EntryTotals {
  value: number;
  duty: string | null;
  mpf: string | null;
  hmf: string | null;
}

export interface Entry {
  entry_id: string;
  port: string;
  arrival: string;
  mode?: string;
  formal: boolean;
  flags: string[];
  totals: EntryTotals;
  lines: CustomsLine[];
}

/** An entry without its lines: what identifies it, its totals as filed and how many lines it has. */
export interface EntrySummary {
  entry_id: string;
  port: string;
  arrival: string;
  formal: boolean;
  flags: string[];
  totals: EntryTotals;
  lines: number;
}

/** `GET /api/entries/{id}`: the entry and the run it belongs to. */
export interface EntryDetail {
  business_date: string;
  mode: Mode;
  run_id: string;
  official: boolean;
  datasets: Record<string, string>;
  config_version: string;
  entry: Entry;
}

export interface OutcomeCounts {
  match: number;
  mismatch: number;
  missing: number;
  extra: number;
  duplicate: number;
}

export interface WorstField {
  field: string;
  critical: boolean;
  max_abs_delta: string | null;
  mismatches: number;
}

/** A frame as the compare service writes it: column names and rows. */
export interface Frame {
  columns: string[];
  rows: unknown[][];
}

export interface ComparisonResult {
  passed: boolean;
  completed_at?: string;
  expected_run_id?: string;
  actual_run_id?: string;
  counts?: { entries: OutcomeCounts; lines: OutcomeCounts };
  report_html_uri?: string;
  [key: string]: unknown;
}

export interface Discrepancy {
  counts?: { entries: OutcomeCounts; lines: OutcomeCounts };
  worst_fields?: WorstField[];
  mismatches?: Frame;
  [key: string]: unknown;
}

export interface Comparison {
  comparison_id: string;
  business_date: string;
  status: "requested" | "passed" | "failed";
  requested: Record<string, unknown> | null;
  result: ComparisonResult | null;
  discrepancy: Discrepancy | null;
}

export interface OfficialRun {
  business_date: string;
  official_mode: Mode;
  run_id: string;
  designated_at: string;
  incomplete: boolean;
  reason: string;
  state: "shadow" | "cutover";
  parity?: boolean;
  passed?: boolean;
  [key: string]: unknown;
}

export interface CutoverChange {
  state: "shadow" | "cutover";
  effective_date: string | null;
  reason?: string;
  requested_by?: string;
  [key: string]: unknown;
}

/** A compared date's latest comparison, with the streak the compare service counted up to it. */
export interface ParityDay {
  business_date: string;
  passed: boolean;
  streak: number | null;
}

export interface Cutover {
  state: "shadow" | "cutover";
  effective_date: string | null;
  changes: CutoverChange[];
  official_runs: OfficialRun[];
  /** The parity streak as of the latest compared date, as the compare service counted it. */
  streak: number | null;
  required_streak: number | null;
  /** Newest date first, at most 60. */
  parity: ParityDay[];
}

export interface Alert {
  id: string;
  kind: string;
  since: string;
  business_date: string | null;
  severity: "critical" | "warning" | "info";
  what: string;
  where: string;
  action: string;
  link: string;
  details: Record<string, unknown>;
}

export type FreshnessState = "fresh" | "stale" | "never";

export interface Freshness {
  state: FreshnessState;
  age_s: number | null;
  max_age_s: number | null;
}

export interface RunStatus {
  run_id: string;
  status: "landed" | "failed" | "published" | "held";
  at: string;
  rows: number | null;
  detail: string | null;
}

export interface SourceStatus {
  name: string;
  last_run: RunStatus | null;
  last_success_at: string | null;
  failures: number;
  freshness: Freshness;
}

export interface DatasetStatus {
  name: string;
  mode: Mode;
  version: string | null;
  published_at: string | null;
  rows: number | null;
  rejected_rows: number | null;
  held: boolean;
  failures: number;
  freshness: Freshness;
}

export interface QueueStatus {
  subscription: string;
  depth: number;
  dlq_depth: number;
}

export interface Pipeline {
  generated_at: string;
  sources: SourceStatus[];
  datasets: DatasetStatus[];
  queues: QueueStatus[];
  replays: Replay[];
  fee_table: FeeTableStatus;
  hts_revision: HtsRevisionStatus;
}

export interface RefusedNotice {
  fiscal_year: number;
  effective_from: string;
  rule: string;
  reason: string;
  notice_event_id: string | null;
}

/** How far ahead the fee table covers; `short` when below `threshold_days`. */
export interface FeeTableStatus {
  version: string | null;
  covered_until: string | null;
  days_ahead: number;
  threshold_days: number;
  short: boolean;
  measured_at: string | null;
  problem: string | null;
  refused: RefusedNotice[];
}

export interface HtsCodeChange {
  hts10: string;
  changes: string[];
  before: Record<string, string> | null;
  after: Record<string, string> | null;
}

export interface HtsRevisionStatus {
  landed: string | null;
  landed_at: string | null;
  waiting: string | null;
  changed_from: string | null;
  changed_to: string | null;
  changed_count: number;
  changed: HtsCodeChange[];
}

export interface FeeNotice {
  fiscal_year: number;
  mpf_rate: string;
  mpf_minimum: string;
  mpf_maximum: string;
  hmf_rate: string;
  citation: string;
  effective_from?: string;
}

export interface Replay {
  name: string;
  state: string;
  stage: string | null;
  since: string | null;
  until: string | null;
  reason: string | null;
}

/** The comparison report for machines (`report.json`), as far as the dashboard reads it. */
export interface ComparisonReport {
  schema_version: string;
  passed: boolean;
  tolerances?: Record<string, unknown>;
  mismatches: Frame;
}

export interface DailyTotal {
  business_date: string;
  mode: Mode;
  entries: number;
  lines: number;
  value_cents: number;
  duty_cents: number;
  mpf_cents: number;
  hmf_cents: number;
}

/** `GET /api/comparisons/{id}/explained`, as the API's OpenAPI describes it (generated types). */
export type FieldCompared = Schemas["FieldCompared"];
export type StackNumber = Schemas["StackNumber"];
export type ExplainedSide = Schemas["Side"];
export type CitedValue = Schemas["CitedValue"];
export type InputDifference = Schemas["InputDifference"];
export type ExplainedDiscrepancy = Schemas["Discrepancy"];
export type ComparisonExplained = Schemas["ComparisonExplained"];

export type QuarantinedLine = Schemas["QuarantinedLinePublic"];
