import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../api/types";
import { healthChecks } from "./Health";

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

describe("is it healthy?", () => {
  it("says yes on every check when nothing is stale, held, dead-lettered, failed or waiting", () => {
    expect(healthChecks(healthy, [], []).every((check) => check.ok)).toBe(true);
  });

  it("names what to look at: dead letters, a short fee table and a waiting HTS revision", () => {
    const sick: Pipeline = {
      ...healthy,
      queues: [{ subscription: "etl-extracts", depth: 0, dlq_depth: 3 }],
      fee_table: { ...healthy.fee_table, short: true, problem: "The fee table covers 20 days ahead." },
      hts_revision: { ...healthy.hts_revision, waiting: "2026 Rev. 11 is waiting." },
    };
    const failing = healthChecks(sick, [], []).filter((check) => !check.ok);
    expect(failing.map((check) => [check.name, check.text])).toEqual([
      ["Dead letters", "3 message(s) in dead-letter queues."],
      ["Fee table", "The fee table covers 20 days ahead."],
      ["HTS revision", "In force: 2026 Rev. 10. Waiting: 2026 Rev. 11 is waiting."],
    ]);
  });
});
