import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { linesPage, sampleLine, shadowGate } from "../test/fixtures";
import { fakeApi, operator, renderAt } from "../test/render";
import { LinesPage } from "./LinesPage";

afterEach(() => vi.unstubAllGlobals());

function serveLines(page = linesPage) {
  return fakeApi(
    {
      "GET /api/customs-lines": { body: page },
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

  it("lists the page's entries with their totals as filed, not summed from the page's lines", async () => {
    serveLines();
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30" });
    const entries = await screen.findByRole("table", { name: /^Entries of the lines on this page/ });
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
    // An informal entry pays no MPF.
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

  it("opens a line's lineage: invoice items with their materials, dataset versions, the provision behind each number", async () => {
    serveLines();
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30" });
    const lines = await screen.findByRole("table", { name: "Lines 1–1 of 1" });
    const lineage = within(lines).getByRole("button", { name: /^Lineage of line 1 of entry/ });
    await userEvent.click(lineage);
    const drawer = screen.getByRole("dialog", { name: "Line 1 of entry 1001-20260330-SH26033000008" });
    expect(within(drawer).getByText("billing document 9000000024, item 50, material 10000042")).toBeInTheDocument();
    expect(within(drawer).getByText("billing document 9000000025, item 10, material 10000031")).toBeInTheDocument();
    expect(within(drawer).getByText("efb67bc37d807c72ca7f1569")).toBeInTheDocument();
    expect(within(drawer).getByText("tariff provision #1")).toBeInTheDocument();
    // Each number's rate as a percentage, as on the comparison pages, not the fraction the API holds.
    const stack = within(drawer).getByRole("table", { name: /HTS numbers of the line/ });
    const rows = within(stack).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[2]?.textContent)).toEqual(["10 %", "0 %"]);
    await userEvent.click(within(drawer).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    // The page re-renders its columns on each render; the button is still the same one, and has focus back.
    expect(lineage).toBeInTheDocument();
    expect(lineage).toHaveFocus();
  });

  it("lists an invoice item whose material the run did not publish without one, and says material is searchable", async () => {
    const unknown = { ...sampleLine, source_materials: [null, null], materials: [] };
    serveLines({ ...linesPage, lines: [unknown] });
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30" });
    const lines = await screen.findByRole("table", { name: "Lines 1–1 of 1" });
    expect(screen.getByRole("searchbox", { name: "Search" })).toHaveAccessibleDescription(/material number/);
    await userEvent.click(within(lines).getByRole("button", { name: /^Lineage of line 1 of entry/ }));
    const drawer = screen.getByRole("dialog", { name: "Line 1 of entry 1001-20260330-SH26033000008" });
    expect(within(drawer).getByText("billing document 9000000024, item 50")).toBeInTheDocument();
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
    expect(await screen.findByText(/^No run has lines for 2026-01-05/)).toHaveTextContent(
      "No run has lines for 2026-01-05 (no manual customs run for 2026-01-05). No date has been processed yet.",
    );
  });
});

describe("the lines workbench", () => {
  it("searches, sorts and sizes pages on the server, from the address, with the filtered totals apart", async () => {
    const calls = serveLines();
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30&q=switch&page_size=50" });
    const matching = await screen.findByRole("region", { name: "Totals of the lines matching the filters" });
    expect(matching).toHaveTextContent("1 of 128 lines in 1 entries: value $4,800, duty $480.00");
    const asked = calls.filter((c) => c.url.pathname === "/api/customs-lines").at(-1)!;
    expect(asked.url.searchParams.get("q")).toBe("switch");
    expect(asked.url.searchParams.get("page_size")).toBe("50");
    expect(screen.getAllByRole("navigation", { name: /^Pages of lines/ })).toHaveLength(2);

    const lines = screen.getByRole("table", { name: /^Lines / });
    await userEvent.click(within(lines).getByRole("button", { name: /^Value/ }));
    const sorted = calls.filter((c) => c.url.pathname === "/api/customs-lines").at(-1)!;
    expect(sorted.url.searchParams.get("sort")).toBe("value");
    expect(sorted.url.searchParams.get("q")).toBe("switch");
  });

  it("lists the quarantined lines one click away, each with its reason and fix", async () => {
    fakeApi(
      {
        "GET /api/customs-lines": { body: linesPage },
        "GET /api/customs-lines/quarantined": {
          body: [
            {
              document: "90010009",
              item: 10,
              material: "10000999",
              reason: "unknown_material",
              fix: "Add the material to the product master (MARA/MARC), then run the date again.",
            },
          ],
        },
        "GET /api/cutover": { body: shadowGate },
        "GET /api/comparisons": { body: [] },
      },
      operator,
    );
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-30" });
    await userEvent.click(await screen.findByRole("link", { name: /Show the 1 quarantined line/ }));
    const table = await screen.findByRole("table", { name: /1 invoice line\(s\) set aside/ });
    expect(table).toHaveTextContent("unknown material");
    expect(table).toHaveTextContent("Add the material to the product master");
  });
});

describe("a date without a run", () => {
  it("says so and suggests the nearest dates that have runs", async () => {
    fakeApi(
      {
        "GET /api/customs-lines": { status: 404, body: { detail: "no run for 2026-03-28" } },
        "GET /api/cutover": { body: shadowGate },
        "GET /api/comparisons": {
          body: ["2026-03-27", "2026-03-30", "2026-03-16"].map((d) => ({
            comparison_id: `cmp-${d}`,
            business_date: d,
            status: "passed",
            requested: null,
            result: null,
            discrepancy: null,
          })),
        },
      },
      operator,
    );
    renderAt(<LinesPage />, { route: "/lines?date=2026-03-28" });
    const notice = await screen.findByText(/No run has lines for 2026-03-28/);
    expect(within(notice).getAllByRole("link").map((a) => a.textContent)).toEqual(["2026-03-27", "2026-03-30", "2026-03-16"]);
  });
});
