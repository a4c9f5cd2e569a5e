import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { linesPage, shadowGate } from "../test/fixtures";
import { fakeApi, operator, renderAt } from "../test/render";
import { LinesPage } from "./LinesPage";

afterEach(() => vi.unstubAllGlobals());

function serveLines() {
  return fakeApi(
    {
      "GET /api/customs-lines": { body: linesPage },
      "GET /api/cutover": { body: shadowGate },
      "GET /api/comparisons": { body: [] },
    },
    operator,
  );
}

describe("the customs lines page", () => {
  it("asks for the date and filters in the address, and shows the run as official", async () => {
    const calls = serveLines();
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30&hts=8473" });
    const totals = await screen.findByRole("region", { name: "Run totals" });
    expect(within(totals).getByText("official")).toHaveClass("badge");
    const asked = calls.find((c) => c.url.pathname === "/api/customs-lines");
    expect(asked?.url.searchParams.get("date")).toBe("2026-03-30");
    expect(asked?.url.searchParams.get("hts")).toBe("8473");
    expect(screen.getByText("$1,492,730.00")).toBeInTheDocument();
  });

  it("lists every matching entry with its totals as filed, not summed from the page's lines", async () => {
    serveLines();
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30" });
    const entries = await screen.findByRole("table", { name: /^Entries with lines matching these filters/ });
    const [first, second, ...more] = within(entries).getAllByRole("row").slice(1) as HTMLElement[];
    expect(more).toEqual([]);
    // The page holds one of the first entry's three lines; its totals are the entry's own.
    expect(within(first!).getAllByRole("cell").map((td) => td.textContent)).toEqual([
      "1001-20260330-SH26033000008",
      "1001",
      "2026-03-30",
      "formal",
      "3",
      "$18,230",
      "$1,822.95",
      "$63.15",
      "$22.79",
    ]);
    // An informal entry pays no MPF; the second entry has no line on this page at all.
    expect(within(second!).getAllByRole("cell").map((td) => td.textContent)).toEqual([
      "1001-20260330-SH26033000009",
      "1001",
      "2026-03-30",
      "informal",
      "2",
      "$1,900",
      "$0.00",
      "none",
      "$2.38",
    ]);
  });

  it("lists a line's HTS stack in filing order", async () => {
    serveLines();
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30" });
    const stack = await screen.findByRole("list", { name: "HTS numbers in filing order" });
    expect(within(stack).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "9903.03.01",
      "8473.30.11.40",
    ]);
  });

  it("opens a line's lineage: invoice items, dataset versions, the provision behind each number", async () => {
    serveLines();
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30" });
    const lines = await screen.findByRole("table", { name: "Lines 1–1 of 1" });
    await userEvent.click(within(lines).getByRole("button", { name: /^Lineage of line 1 of entry/ }));
    const drawer = screen.getByRole("dialog", { name: "Line 1 of entry 1001-20260330-SH26033000008" });
    expect(within(drawer).getByText("billing document 9000000024, item 50")).toBeInTheDocument();
    expect(within(drawer).getByText("billing document 9000000025, item 10")).toBeInTheDocument();
    expect(within(drawer).getByText("efb67bc37d807c72ca7f1569")).toBeInTheDocument();
    expect(within(drawer).getByText("tariff provision #1")).toBeInTheDocument();
    await userEvent.click(within(drawer).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("says plainly when the date has no run", async () => {
    fakeApi(
      {
        "GET /api/customs-lines": { status: 404, body: { detail: "no manual customs run for 2026-01-05" } },
        "GET /api/cutover": { body: shadowGate },
        "GET /api/comparisons": { body: [] },
      },
      operator,
    );
    renderAt(<LinesPage />, { route: "/lines?date=2026-01-05" });
    expect(await screen.findByRole("alert")).toHaveTextContent("no manual customs run for 2026-01-05");
  });
});
