import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Cutover } from "../api/types";
import { shadowGate } from "../test/fixtures";
import { admin, fakeApi, operator, renderAt } from "../test/render";
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
    // No empty chart: a sentence says why there is no streak yet, and where to look.
    expect(screen.getByText(/^No business date compared yet/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "The comparisons" })).toHaveAttribute("href", "/comparisons");
    expect(screen.queryByRole("figure")).not.toBeInTheDocument();
  });
});

describe("changing the gate", () => {
  const short: Cutover = { ...shadowGate, streak: 2, required_streak: 3, parity };
  const accepted = { id: "chg-1", detail_type: "cutover.change.requested.v1", event_id: "e1" };

  it("is not offered to an operator, who reads the gate and is told who can act", async () => {
    // GIVEN an operator WHEN they open the cutover page
    fakeApi({ "GET /api/cutover": { body: short } }, operator);
    renderAt(<CutoverPage />);
    // THEN they see the streak, the failed day and who can act, and no form
    expect(await screen.findByText("2 day(s) of 3 required")).toBeInTheDocument();
    expect(screen.getByText(/2026-03-17 failed/)).toBeInTheDocument();
    expect(screen.getByText(/^Only an admin can cut over or roll back/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Request/ })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Effective date")).not.toBeInTheDocument();
  });

  it("stays disabled for an admin while the gate says no, until forced with a reason", async () => {
    // GIVEN an admin and a streak short of the requirement
    serve(short);
    renderAt(<CutoverPage />);
    const request = await screen.findByRole("button", { name: "Request cutover…" });
    await userEvent.type(screen.getByLabelText("Effective date"), "2026-04-20");
    // THEN the request is disabled, and says why
    expect(request).toBeDisabled();
    expect(request).toHaveAccessibleDescription(/^The gate says no/);
    // WHEN force is ticked THEN it still waits for a reason
    await userEvent.click(screen.getByLabelText("Force, even though the gate says no"));
    expect(request).toBeDisabled();
    expect(request).toHaveAccessibleDescription("A forced cutover needs a reason: it is kept in the audit trail.");
    // WHEN a reason is given THEN it may be asked
    await userEvent.type(screen.getByLabelText(/^Reason for forcing/), "Compliance signed off");
    expect(request).toBeEnabled();
  });

  it("asks for confirmation naming the action, its date and what follows, and sends nothing on cancel", async () => {
    // GIVEN an admin whose forced cutover is filled in
    const calls = fakeApi({ "GET /api/cutover": { body: short }, "POST /api/cutover": { status: 202, body: accepted } }, admin);
    renderAt(<CutoverPage />);
    await userEvent.type(await screen.findByLabelText("Effective date"), "2026-04-20");
    await userEvent.click(screen.getByLabelText("Force, even though the gate says no"));
    await userEvent.type(screen.getByLabelText(/^Reason for forcing/), "Compliance signed off");
    // WHEN they ask for it
    await userEvent.click(screen.getByRole("button", { name: "Request cutover…" }));
    // THEN a dialog names the action and the date, and says what follows
    const dialog = screen.getByRole("alertdialog", { name: "Force the cutover from 2026-04-20?" });
    expect(dialog).toHaveAccessibleDescription(/From 2026-04-20 the automated lines become official.*recorded as forced/);
    // WHEN they cancel THEN nothing is sent
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
    // WHEN they ask again and confirm THEN the request carries the force and the reason
    await userEvent.click(screen.getByRole("button", { name: "Request cutover…" }));
    await userEvent.click(screen.getByRole("button", { name: "Confirm cutover" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Requested cutover (chg-1)");
    const [post] = calls.filter((c) => c.method === "POST");
    expect(JSON.parse(String(post?.init.body))).toEqual({
      action: "cutover",
      effective_date: "2026-04-20",
      reason: "Compliance signed off",
      force: true,
    });
  });
});
