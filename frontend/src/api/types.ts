import type { Schemas } from "./typed";
// The API's response shapes, every one generated from its OpenAPI (`schema.d.ts`): the names the
// dashboard's pages use for them.

export type Role = Schemas["UserPublic"]["role"];
export type Mode = Schemas["CustomsLinesPublic"]["mode"];

export type Session = Schemas["SessionPublic"];
export type User = Schemas["UserPublic"];
export type Accepted = Schemas["Accepted"];

export type Lineage = Schemas["LineLineage"];
export type CustomsLine = Schemas["CustomsLinePublic"];
export type RunTotals = Schemas["CustomsLinesPublic"]["totals"];
export type CustomsLinesPage = Schemas["CustomsLinesPublic"];
export type EntryTotals = Schemas["EntryTotals"];
export type Entry = Schemas["EntryDocumentPublic"];
export type EntryLine = Schemas["EntryLinePublic"];
export type EntrySummary = Schemas["EntrySummary"];
export type EntryDetail = Schemas["EntryPublic"];

export type OutcomeCounts = Schemas["OutcomeCounts"];
export type WorstField = Schemas["WorstField"];
export type ComparisonResult = Schemas["ComparisonResultPublic"];
export type Discrepancy = Schemas["DiscrepancyDetected"];
export type Comparison = Schemas["ComparisonPublic"];

export type OfficialRun = Schemas["OfficialRunPublic"];
export type CutoverChange = Schemas["CutoverChangePublic"];
export type ParityDay = Schemas["ParityDay"];
export type Cutover = Schemas["CutoverPublic"];

export type Alert = Schemas["AlertPublic"];

export type Freshness = Schemas["FreshnessPublic"];
export type FreshnessState = Freshness["state"];
export type RunStatus = Schemas["RunPublic"];
export type SourceStatus = Schemas["SourceStatus"];
export type DatasetStatus = Schemas["DatasetStatus"];
export type QueueStatus = Schemas["QueueStatus"];
export type Pipeline = Schemas["PipelinePublic"];
export type RefusedNotice = Schemas["RefusedNoticePublic"];
export type FeeTableStatus = Schemas["FeeTableStatus"];
export type HtsCodeChange = Schemas["HtsCodeChangePublic"];
export type HtsRevisionStatus = Schemas["HtsRevisionStatus"];
export type FeeNotice = Schemas["FeeNoticeCreate"];
export type Replay = Schemas["ReplayPublic"];
export type DailyTotal = Schemas["DailyTotal"];

/** A table of `report.json`: column names and rows of cells. */
export type Frame = Schemas["Frame"];
/** The comparison report for machines (`report.json`, `compare-report/1`). */
export type ComparisonReport = Schemas["ComparisonReport"];

export type FieldCompared = Schemas["FieldCompared"];
export type StackNumber = Schemas["StackNumber"];
export type ExplainedSide = Schemas["Side"];
export type CitedValue = Schemas["CitedValue"];
export type InputDifference = Schemas["InputDifference"];
export type ExplainedDiscrepancy = Schemas["Discrepancy"];
export type ComparisonExplained = Schemas["ComparisonExplained"];

export type QuarantinedLine = Schemas["QuarantinedLinePublic"];
