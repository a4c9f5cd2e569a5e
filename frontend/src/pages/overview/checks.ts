import type { Alert, Comparison, Cutover, DailyTotal, Freshness, Pipeline } from "../../api/types";
import { age } from "../../format";

/** One answer to "is it healthy?": a verdict (null when it is a figure to know, not a fault) and a sentence. */
export interface Check {
  name: string;
  ok: boolean | null;
  text: string;
}

/** What else the overview has read besides the pipeline: the gate with its streak, the daily totals. */
export interface Context {
  gate?: Cutover;
  totals?: DailyTotal[];
}

function freshness(name: string, f: Freshness): string {
  if (f.state === "never") return `${name} never`;
  return `${name} ${age(f.age_s)} old of ${age(f.max_age_s)} allowed${f.state === "stale" ? " (stale)" : ""}`;
}

function latestDay(comparisons: Comparison[], totals: DailyTotal[]): Check {
  const dates = [...comparisons.map((c) => c.business_date), ...totals.map((t) => t.business_date)].sort();
  const day = dates.at(-1);
  if (day === undefined) return { name: "Latest business date", ok: null, text: "Nothing run or compared yet." };
  const modes = totals.filter((t) => t.business_date === day).map((t) => t.mode).sort();
  const comparison = comparisons.find((c) => c.business_date === day);
  const runs = modes.length ? `runs: ${modes.join(" and ")}` : "no run";
  return {
    name: "Latest business date",
    ok: comparison?.status !== "failed" && modes.length === 2,
    text: `${day}: ${runs}; comparison ${comparison?.status ?? "not made"}.`,
  };
}

function parity(gate: Cutover | undefined): Check {
  if (!gate || gate.streak === null || gate.required_streak === null) {
    return { name: "Parity streak", ok: null, text: "Not stated yet by the compare service." };
  }
  const state = gate.state === "cutover" ? `cut over since ${gate.effective_date}` : "in shadow";
  return {
    name: "Parity streak",
    ok: null,
    text: `${gate.streak} of ${gate.required_streak} passing day(s) required; ${state}.`,
  };
}

function alertsBySeverity(alerts: Alert[]): Check {
  const count = (severity: Alert["severity"]) => alerts.filter((a) => a.severity === severity).length;
  const critical = count("critical");
  return {
    name: "Alerts",
    ok: critical === 0,
    text: `${alerts.length} open: ${critical} critical, ${count("warning")} warning, ${count("info")} info.`,
  };
}

/** The checks that answer "is it healthy?", each a sentence with its own verdict. */
export function healthChecks(
  pipeline: Pipeline,
  alerts: Alert[],
  comparisons: Comparison[],
  { gate, totals = [] }: Context = {},
): Check[] {
  const staleSources = pipeline.sources.filter((s) => s.freshness.state !== "fresh");
  const staleDatasets = pipeline.datasets.filter((d) => d.freshness.state === "stale");
  const held = pipeline.datasets.filter((d) => d.held).map((d) => `${d.name} (${d.mode})`);
  const deadLetters = pipeline.queues.filter((q) => q.dlq_depth > 0);
  const fees = pipeline.fee_table;
  const hts = pipeline.hts_revision;
  const checks: Check[] = [
    {
      name: "Sources",
      ok: staleSources.length === 0,
      text: pipeline.sources.map((s) => freshness(s.name, s.freshness)).join("; ") || "No source reported.",
    },
    {
      name: "Datasets",
      ok: staleDatasets.length === 0 && held.length === 0,
      text:
        [
          staleDatasets.length
            ? `stale: ${staleDatasets.map((d) => freshness(`${d.name} (${d.mode})`, d.freshness)).join(", ")}`
            : "",
          held.length ? `held: ${held.join(", ")}` : "",
        ]
          .filter(Boolean)
          .join("; ") || `All ${pipeline.datasets.length} fresh within their thresholds; none held.`,
    },
    {
      name: "Dead letters",
      ok: deadLetters.length === 0,
      text: deadLetters.length
        ? `${deadLetters.reduce((sum, q) => sum + q.dlq_depth, 0)} message(s) in dead-letter queues: ` +
          deadLetters.map((q) => `${q.subscription} ${q.dlq_depth}`).join(", ") +
          "."
        : `No dead letters in ${pipeline.queues.length} queue(s).`,
    },
    latestDay(comparisons, totals),
    parity(gate),
    alertsBySeverity(alerts),
  ];
  if (fees) {
    checks.push({
      name: "Fee table",
      ok: !fees.short && fees.refused.length === 0,
      text:
        fees.problem ??
        (fees.covered_until
          ? `Covers until ${fees.covered_until} (${fees.days_ahead} of ${fees.threshold_days} days required).`
          : "No fee table yet.") + (fees.refused.length ? ` ${fees.refused.length} notice(s) refused.` : ""),
    });
  }
  if (hts) {
    checks.push({
      name: "HTS revision",
      ok: hts.waiting === null,
      text:
        `In force: ${hts.landed ?? "none"}.` +
        (hts.waiting ? ` Waiting: ${hts.waiting}` : "") +
        (hts.changed_count ? ` ${hts.changed_count} company number(s) changed.` : ""),
    });
  }
  return checks;
}
