import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Pipeline } from "../api/types";
import { admin, fakeApi, operator, renderAt } from "../test/render";
import { PipelinePage } from "./PipelinePage";

afterEach(() => vi.unstubAllGlobals());

const state: Pipeline = {
  generated_at: "2026-03-30T06:00:00Z",
  sources: [
    {
      name: "ZSDR002",
      last_run: { run_id: "r1", status: "failed", at: "2026-03-30T05:00:00Z", rows: null, detail: "SAP answered 503" },
      last_success_at: "2026-03-27T05:00:00Z",
      failures: 3,
      freshness: { state: "stale", age_s: 262800, max_age_s: 93600 },
    },
  ],
  datasets: [],
  queues: [
    { subscription: "etl-extracts", depth: 0, dlq_depth: 2 },
    { subscription: "customs-runs", depth: 1, dlq_depth: 0 },
  ],
  replays: [],
  fee_table: {
    version: "fee-v1",
    covered_until: "2026-09-30",
    days_ahead: 184,
    threshold_days: 200,
    short: true,
    measured_at: "2026-03-30T05:00:00Z",
    problem: "The fee table covers 184 days ahead, fewer than the 200 required: record FY2027's notice.",
    refused: [
      { fiscal_year: 2027, effective_from: "2026-10-01", rule: "mpf_minimum_above_maximum", reason: "minimum above maximum", notice_event_id: null },
    ],
  },
  hts_revision: {
    landed: "2026 Rev. 10",
    landed_at: "2026-03-29T05:00:00Z",
    waiting: "2026 Rev. 11 has been published for 9 days and has not landed.",
    changed_from: "2026 Rev. 9",
    changed_to: "2026 Rev. 10",
    changed_count: 1,
    changed: [{ hts10: "8536698000", changes: ["general_rate"], before: { general_rate: "0" }, after: { general_rate: "0.027" } }],
  },
};

describe("the pipeline page", () => {
  it("shows a failing source as stale with its failure and the DLQ depth", async () => {
    fakeApi({ "GET /api/pipeline": { body: state } }, operator);
    renderAt(<PipelinePage />);
    const sources = await screen.findByRole("table", { name: "Extract sources" });
    const row = within(sources).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("failed");
    expect(row).toHaveTextContent("SAP answered 503");
    expect(within(row).getByText("stale, 3 d old")).toBeInTheDocument();
    const queues = screen.getByRole("table", { name: "Subscription queues and their dead-letter queues" });
    expect(within(queues).getAllByRole("row")[1]).toHaveTextContent("etl-extracts02");
    expect(screen.queryByRole("heading", { name: "Replay a stage" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Record a fee notice" })).not.toBeInTheDocument();
  });

  it("shows the fee coverage with its problem and refused notices, and the HTS revision in force and waiting", async () => {
    fakeApi({ "GET /api/pipeline": { body: state } }, operator);
    renderAt(<PipelinePage />);
    const reference = await screen.findByRole("region", { name: "Reference data" });
    expect(reference).toHaveTextContent("coverage short");
    expect(reference).toHaveTextContent("fewer than the 200 required");
    expect(within(reference).getByRole("table", { name: "Notices the fee table refused" })).toHaveTextContent("2027");
    expect(reference).toHaveTextContent("In force: 2026 Rev. 10");
    expect(reference).toHaveTextContent("2026 Rev. 11 has been published");
    expect(within(reference).getByRole("table", { name: /1 company HTS number\(s\) changed/ })).toHaveTextContent("8536698000");
  });

  it("lets an admin record a fee notice, posted as the API expects", async () => {
    document.cookie = "ior_csrf=csrf-1; path=/";
    const calls = fakeApi(
      {
        "GET /api/pipeline": { body: state },
        "POST /api/fees/notices": { status: 202, body: { id: "n-1", detail_type: "fees.notice.submitted.v1", event_id: "e" } },
      },
      admin,
    );
    renderAt(<PipelinePage />);
    await userEvent.type(await screen.findByLabelText("Fiscal year"), "2027");
    await userEvent.type(screen.getByLabelText("MPF rate (fraction)"), "0.003464");
    await userEvent.type(screen.getByLabelText("MPF minimum (USD)"), "33.58");
    await userEvent.type(screen.getByLabelText("MPF maximum (USD)"), "651.50");
    await userEvent.type(screen.getByLabelText("HMF rate (fraction)"), "0.00125");
    await userEvent.type(screen.getByLabelText("Citation"), "CBP Dec. 26-10");
    await userEvent.click(screen.getByRole("button", { name: "Record notice" }));
    expect(await screen.findByText(/Notice recorded \(n-1\)/)).toBeInTheDocument();
    const sent = calls.find((c) => c.url.pathname === "/api/fees/notices")!;
    expect(JSON.parse(String(sent.init.body))).toEqual({
      fiscal_year: 2027,
      mpf_rate: "0.003464",
      mpf_minimum: "33.58",
      mpf_maximum: "651.50",
      hmf_rate: "0.00125",
      citation: "CBP Dec. 26-10",
    });
    document.cookie = "ior_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
  });

  it("lets an admin replay a stage named after the subscriptions, with the CSRF header", async () => {
    document.cookie = "ior_csrf=csrf-1; path=/";
    const calls = fakeApi(
      {
        "GET /api/pipeline": { body: state },
        "POST /api/pipeline/replay": { status: 202, body: { name: "r", state: "STARTING" } },
      },
      admin,
    );
    renderAt(<PipelinePage />);
    const stage = await screen.findByLabelText("Stage");
    expect(within(stage).getAllByRole("option").map((o) => o.textContent)).toEqual(["customs", "etl"]);
    await userEvent.selectOptions(stage, "etl");
    await userEvent.type(screen.getByLabelText("Since (UTC)"), "2026-03-30T00:00");
    await userEvent.type(screen.getByLabelText("Until (UTC)"), "2026-03-30T06:00");
    await userEvent.type(screen.getByLabelText("Reason"), "SAP came back");
    await userEvent.click(screen.getByRole("button", { name: "Request replay" }));
    expect(await screen.findByText("Replay requested.")).toBeInTheDocument();
    const sent = calls.find((c) => c.url.pathname === "/api/pipeline/replay")!;
    expect((sent.init.headers as Record<string, string>)["X-CSRF-Token"]).toBe("csrf-1");
    expect(JSON.parse(String(sent.init.body))).toEqual({
      stage: "etl",
      since: "2026-03-30T00:00:00.000Z",
      until: "2026-03-30T06:00:00.000Z",
      reason: "SAP came back",
    });
    document.cookie = "ior_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
  });
});
