import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { failedComparison, failedReport, rateDiscrepancy } from "../test/fixtures";
import { fakeApi, operator, renderAt } from "../test/render";
import { ComparisonPage, REPORT_LINES_READ } from "./ComparisonPage";

afterEach(() => vi.unstubAllGlobals());

describe("a comparison report", () => {
  it("lists the discrepancies, filters them by field and outcome, and links the HTML report", async () => {
    fakeApi({ [`GET /api/comparisons/${failedComparison.comparison_id}`]: { body: failedComparison } }, operator);
    renderAt(<ComparisonPage />, {
      route: `/comparisons/${failedComparison.comparison_id}`,
      path: "/comparisons/:comparisonId",
    });
    const table = await screen.findByRole("table", { name: "Discrepancies of 2026-03-30: 2 of 2" });
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(screen.getByRole("link", { name: "Open the immutable HTML report" })).toHaveAttribute(
      "href",
      `/api/audit/comparisons/${failedComparison.comparison_id}/report.html`,
    );

    await userEvent.selectOptions(screen.getByLabelText("Outcome"), "non-critical");
    const filtered = screen.getByRole("table", { name: "Discrepancies of 2026-03-30: 1 of 2" });
    expect(within(filtered).getByText("gross_kg")).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText("Outcome"), "");
    await userEvent.selectOptions(screen.getByLabelText("Field"), "value");
    const byField = screen.getByRole("table", { name: "Discrepancies of 2026-03-30: 1 of 2" });
    expect(within(byField).getByText("value")).toBeInTheDocument();
    expect(within(byField).getByText("critical")).toBeInTheDocument();
  });

  it("lists every mismatching field of every line from the comparison's report", async () => {
    const id = failedComparison.comparison_id;
    fakeApi(
      {
        [`GET /api/comparisons/${id}`]: { body: failedComparison },
        [`GET /api/audit/comparisons/${id}/report.json`]: {
          body: failedReport({
            columns: ["level", "entry_id", "hts10", "field", "expected", "actual", "delta", "tolerance", "critical"],
            rows: [
              ["line", "2720-20260330-SH26033000026", "8517.62.00.20", "value", "4800", "5055", "255", "±1", true],
              ["entry", "2720-20260330-SH26033000026", null, "entry_value", "4800", "5055", "255", "±1", true],
              ["line", "2720-20260330-SH26033000025", "8517.62.00.90", "gross_kg", "74", "53", "-21", "±1.00", false],
            ],
          }),
        },
      },
      operator,
    );
    renderAt(<ComparisonPage />, { route: `/comparisons/${id}`, path: "/comparisons/:comparisonId" });
    const table = await screen.findByRole("table", { name: "Discrepancies of 2026-03-30: 3 of 3" });
    const first = within(table).getAllByRole("row")[1]!;
    expect(within(first).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "line",
      "2720-20260330-SH26033000026",
      "8517.62.00.20",
      "value",
      "$4,800.00",
      "$5,055.00",
      "+$255.00",
      "±1",
      "critical",
    ]);
    await userEvent.selectOptions(screen.getByLabelText("Field"), "gross_kg");
    expect(screen.getByRole("table", { name: "Discrepancies of 2026-03-30: 1 of 3" })).toHaveTextContent("non-critical");
  });

  it("does not read the report of a day of more lines than it holds, and shows the summary per field", async () => {
    const id = failedComparison.comparison_id;
    const lines = { ...failedComparison.result!.counts.lines, match: REPORT_LINES_READ };
    const counts = { ...failedComparison.result!.counts, lines };
    const large = { ...failedComparison, result: { ...failedComparison.result!, counts } };
    const calls = fakeApi({ [`GET /api/comparisons/${id}`]: { body: large } }, operator);
    renderAt(<ComparisonPage />, { route: `/comparisons/${id}`, path: "/comparisons/:comparisonId" });
    const table = await screen.findByRole("table", { name: "Discrepancies of 2026-03-30: 2 of 2" });
    expect(within(table).getByText("gross_kg")).toBeInTheDocument();
    expect(screen.getByText(/This comparison holds 100,002 lines, more than this page reads/)).toBeInTheDocument();
    expect(calls.some((c) => c.url.pathname.endsWith("/report.json"))).toBe(false);
  });

  it("reads the report of a day of as many lines as it holds", async () => {
    const id = failedComparison.comparison_id;
    const lines = { ...failedComparison.result!.counts.lines, match: REPORT_LINES_READ - 2 };
    const counts = { ...failedComparison.result!.counts, lines };
    const full = { ...failedComparison, result: { ...failedComparison.result!, counts } };
    const calls = fakeApi({ [`GET /api/comparisons/${id}`]: { body: full } }, operator);
    renderAt(<ComparisonPage />, { route: `/comparisons/${id}`, path: "/comparisons/:comparisonId" });
    await screen.findByRole("table", { name: "Discrepancies of 2026-03-30: 2 of 2" });
    expect(calls.some((c) => c.url.pathname.endsWith("/report.json"))).toBe(true);
    expect(screen.queryByText(/more than this page reads/)).not.toBeInTheDocument();
  });
});

describe("a comparison explained", () => {
  it("opens a discrepancy side by side from the URL, with its cause, and closes back to the list", async () => {
    const id = failedComparison.comparison_id;
    fakeApi(
      {
        [`GET /api/comparisons/${id}`]: { body: failedComparison },
        [`GET /api/comparisons/${id}/explained`]: {
          body: {
            comparison_id: id,
            business_date: "2026-03-30",
            status: "failed",
            failure_reasons: ["critical field rates out of tolerance 1 time(s)"],
            worst_fields: [{ field: "rates", critical: true, mismatches: 1, max_abs_delta: null }],
            passed_with_differences: false,
            expected_run_id: "m1",
            actual_run_id: "a1",
            total: 1,
            datasets: { expected: {}, actual: {} },
            unreadable: {},
            discrepancies: [rateDiscrepancy],
          },
        },
      },
      operator,
    );
    renderAt(<ComparisonPage />, { route: `/comparisons/${id}?d=1`, path: "/comparisons/:comparisonId" });
    const drawer = await screen.findByRole("dialog", { name: /Discrepancy 1: entry 2709-20260316-SH2001, line 5/ });
    // Each side's cell beside the file and row it was read from; an older version by what made it.
    const cause = within(drawer).getByText(/^hts-reference 8517620090 general_rate:/);
    expect(cause).toHaveTextContent("manual 0 % (HTS_Code.csv row 14, version mmmmmmmm)");
    expect(cause).toHaveTextContent("vs automated 2.7 % (ZFMIOR001, version aaaaaaaa)");
    expect(within(drawer).getByRole("table", { name: "Automated (actual): HTS stack" })).toHaveTextContent("2.7 %");
    // Each side's invoice items with the material of each, where its run published one.
    expect(within(drawer).getAllByText(/^Invoice items:/).map((items) => items.textContent)).toEqual([
      "Invoice items: 90020001/10 (material 10000042), 90020002/20",
      "Invoice items: 90020001/10",
    ]);
    expect(within(drawer).getByRole("link", { name: /Open entry 2709-20260316-SH2001 in the manual lines/ })).toHaveAttribute(
      "href",
      "/lines?date=2026-03-30&mode=manual&entry=2709-20260316-SH2001",
    );
    expect(screen.getByText("critical field rates out of tolerance 1 time(s)")).toBeInTheDocument();
    expect(document.title).toBe("Comparison 2026-03-30 · IOR dashboard");

    await userEvent.click(within(drawer).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    const list = screen.getByRole("table", { name: "Explained discrepancies of 2026-03-30: 1 of 1" });
    await userEvent.click(within(list).getByRole("link", { name: /Explain discrepancy 1/ }));
    expect(await screen.findByRole("dialog")).toBeInTheDocument();
  });
});
