import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Cutover } from "../api/types";
import { shadowGate } from "../test/fixtures";
import { admin, fakeApi, renderAt } from "../test/render";
import { CutoverPage } from "./CutoverPage";

afterEach(() => vi.unstubAllGlobals());

// Newest first, as the API lists them; the first date was compared before the service said its count.
const parity: Cutover["parity"] = [
  { business_date: "2026-03-19", passed: true, streak: 2 },
  { business_date: "2026-03-18", passed: true, streak: 1 },
  { business_date: "2026-03-17", passed: false, streak: 0 },
  { business_date: "2026-03-13", passed: true, streak: null },
];

function serve(gate: Cutover) {
  return fakeApi({ "GET /api/cutover": { body: gate } }, admin);
}

function gateBadge() {
  const term = screen.getByText("Gate", { selector: "dt" });
  return within(term.parentElement as HTMLElement).getByRole("definition");
}

describe("the cutover page", () => {
  it("shows the streak the compare service counted against the required streak, without recounting", async () => {
    const calls = serve({ ...shadowGate, streak: 2, required_streak: 3, parity });
    renderAt(<CutoverPage />);
    expect(await screen.findByText("2 day(s) of 3 required")).toBeInTheDocument();
    expect(gateBadge()).toHaveTextContent("not yet");
    const table = screen.getByRole("table", { name: "Parity streak by business date" });
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) => within(row).getAllByRole("cell").map((td) => td.textContent));
    expect(rows).toEqual([
      ["2026-03-13", "passed", "not stated"],
      ["2026-03-17", "failed", "0"],
      ["2026-03-18", "passed", "1"],
      ["2026-03-19", "passed", "2"],
    ]);
    // The page reads the gate alone: the comparisons are not fetched to count the streak again.
    expect(calls.map((c) => c.url.pathname)).not.toContain("/api/comparisons");
  });

  it("says the gate is ready once the streak reaches the required one", async () => {
    const today = { business_date: "2026-03-20", passed: true, streak: 3 };
    serve({ ...shadowGate, streak: 3, required_streak: 3, parity: [today] });
    renderAt(<CutoverPage />);
    expect(await screen.findByText("3 day(s) of 3 required")).toBeInTheDocument();
    expect(gateBadge()).toHaveTextContent("ready");
  });

  it("waits for the compare service before saying anything about the gate", async () => {
    serve(shadowGate);
    renderAt(<CutoverPage />);
    expect(await screen.findByText("not stated yet")).toBeInTheDocument();
    expect(gateBadge()).toHaveTextContent("awaiting the compare service");
  });
});
