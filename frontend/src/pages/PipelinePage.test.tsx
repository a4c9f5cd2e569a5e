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
