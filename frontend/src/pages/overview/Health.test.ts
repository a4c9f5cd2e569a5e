import { describe, expect, it } from "vitest";
import type { Alert, Comparison, Cutover, DailyTotal, Mode, Pipeline } from "../../api/types";
import { shadowGate } from "../../test/fixtures";
import { healthChecks } from "./checks";

const healthy: Pipeline = {
  generated_at: "2026-03-30T06:00:00Z",
  sources: [
    {
      name: "ZSDR002",
      last_run: { run_id: "r1", status: "landed", at: "2026-03-30T05:00:00Z", rows: 10, detail: null },
      last_success_at: "2026-03-30T05:00:00Z",
      failures: 0,
      freshness: { state: "fresh", age_s: 3600, max_age_s: 93600 },
    },
  ],
  datasets: [],
  queues: [{ subscription: "etl-extracts", depth: 0, dlq_depth: 0 }],
  replays: [],
  fee_table: {
    version: "v",
    covered_until: "2026-12-31",
    days_ahead: 276,
    threshold_days: 200,
    short: false,
    measured_at: null,
    problem: null,
    refused: [],
  },
  hts_revision: {
    landed: "2026 Rev. 10",
    landed_at: null,
    waiting: null,
    changed_from: null,
    changed_to: null,
    changed_count: 0,
    changed: [],
  },
};

const openAlert: Alert = {
  id: "a",
  kind: "comparison_failed",
  since: "2026-03-30T05:00:00Z",
  business_date: "2026-03-27",
  severity: "critical",
  what: "Comparison failed",
  where: "compare",
  action: "Read the report",
  link: "/comparisons/c1",
  details: {},
};

const dayTotal: DailyTotal = {
  business_date: "2026-03-27",
  mode: "manual",
  entries: 2,
  lines: 5,
  value_cents: 100_00,
  duty_cents: 5_00,
  mpf_cents: 0,
  hmf_cents: 0,
};

describe("is it healthy?", () => {
  it("says yes on every check when nothing is stale, held, dead-lettered, failed or waiting", () => {
    expect(healthChecks(healthy, [], []).filter((check) => check.ok === false)).toEqual([]);
  });

  it("gives each source's age against its threshold", () => {
    const sources = healthChecks(healthy, [], []).find((check) => check.name === "Sources");
    expect(sources).toEqual({ name: "Sources", ok: true, text: "ZSDR002 60 min old of 26 h allowed" });
  });

  it("counts open alerts by severity and looks only at critical ones", () => {
    const alert = (id: string, severity: Alert["severity"]) => ({ ...openAlert, id, severity });
    const alerts = [alert("a", "critical"), alert("b", "warning"), alert("c", "warning"), alert("d", "info")];
    expect(healthChecks(healthy, alerts, []).find((check) => check.name === "Alerts")).toEqual({
      name: "Alerts",
      ok: false,
      text: "4 open: 1 critical, 2 warning, 1 info.",
    });
  });

  it("says the latest business date's runs and comparison, and the streak against the required one", () => {
    const totals: DailyTotal[] = ["manual", "automated"].map((mode) => ({ ...dayTotal, mode: mode as Mode }));
    const comparisons: Comparison[] = [
      { comparison_id: "c1", business_date: "2026-03-27", status: "failed", requested: null, result: null, discrepancy: null },
    ];
    const gate: Cutover = { ...shadowGate, streak: 0, required_streak: 5 };
    const checks = healthChecks(healthy, [], comparisons, { gate, totals });
    expect(checks.filter((c) => ["Latest business date", "Parity streak"].includes(c.name))).toEqual([
      { name: "Latest business date", ok: false, text: "2026-03-27: runs: automated and manual; comparison failed." },
      { name: "Parity streak", ok: null, text: "0 of 5 passing day(s) required; in shadow." },
    ]);
  });

  it("names what to look at: dead letters, a short fee table and a waiting HTS revision", () => {
    const sick: Pipeline = {
      ...healthy,
      queues: [{ subscription: "etl-extracts", depth: 0, dlq_depth: 3 }],
      fee_table: { ...healthy.fee_table, short: true, problem: "The fee table covers 20 days ahead." },
      hts_revision: { ...healthy.hts_revision, waiting: "2026 Rev. 11 is waiting." },
    };
    const failing = healthChecks(sick, [], []).filter((check) => check.ok === false);
    expect(failing.map((check) => [check.name, check.text])).toEqual([
      ["Dead letters", "3 message(s) in dead-letter queues: etl-extracts 3."],
      ["Fee table", "The fee table covers 20 days ahead."],
      ["HTS revision", "In force: 2026 Rev. 10. Waiting: 2026 Rev. 11 is waiting."],
    ]);
  });
});
