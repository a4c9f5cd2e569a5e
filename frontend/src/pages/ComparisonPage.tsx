import { createColumnHelper } from "@tanstack/react-table";
import { Link, useParams, useSearchParams } from "react-router";
import { isMissing, useComparison, useComparisonExplained, useComparisonReport } from "../api/endpoints";
import type { Comparison, ComparisonExplained, ExplainedDiscrepancy, OutcomeCounts, WorstField } from "../api/types";
import { Badge, OutcomeBadge } from "../components/Badge";
import { DataTable } from "../components/DataTable";
import { useTitle } from "../components/useTitle";
import { ErrorMessage, Loading, Notice } from "../components/Status";
import { utc } from "../format";
import { type DiscrepancyFilter, type DiscrepancyRow, discrepancyRows, filterRows } from "./comparison/discrepancies";
import {
  causeSentence,
  differingFields,
  discrepanciesCsv,
  filterExplained,
  lineLabel,
  reportValue,
  shownDelta,
} from "./comparison/explained";
import { SideBySide } from "./comparison/SideBySide";

const column = createColumnHelper<DiscrepancyRow>();
const explainedColumn = createColumnHelper<ExplainedDiscrepancy>();
const OUTCOMES = ["", "critical", "non-critical"] as const;

function Counts({ label, counts }: { label: string; counts: OutcomeCounts | undefined }) {
  if (!counts) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {counts.match} match, {counts.mismatch} mismatch, {counts.missing} missing, {counts.extra} extra
        {counts.duplicate ? `, ${counts.duplicate} duplicate` : ""}
      </dd>
    </div>
  );
}

function WorstFields({ fields }: { fields: WorstField[] }) {
  if (fields.length === 0) return null;
  return (
    <div className="compact-wrap" tabIndex={0} role="region" aria-label="Worst differences">
    <table className="compact">
      <caption>Fields out of tolerance, worst first</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Critical</th>
          <th scope="col">Mismatches</th>
          <th scope="col">Largest difference</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.field}>
            <td className="mono">{f.field}</td>
            <td>{f.critical ? "critical" : "non-critical"}</td>
            <td>{f.mismatches}</td>
            <td>
              {shownDelta({ field: f.field, delta: f.max_abs_delta, differs: true, expected: null, actual: null, tolerance: null, critical: f.critical })}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** Why it failed, or why a day with differences still passed. */
function Verdict({ explained }: { explained: ComparisonExplained }) {
  if (explained.status === "failed") {
    return (
      <>
        <h2>Why it failed</h2>
        <ul className="reasons">
          {explained.failure_reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      </>
    );
  }
  if (!explained.passed_with_differences) return null;
  const fields = [...new Set(explained.worst_fields.map((f) => f.field))].join(", ");
  return (
    <Notice>
      It passed although {explained.total} item(s) differ: only non-critical fields ({fields}) are out of tolerance,
      and nothing is missing, extra or duplicated, so the day counts towards the parity streak.
    </Notice>
  );
}

/** A report holds every line's outcome: past this many lines it is tens of megabytes, which the API
 * links rather than sends, and more than the page should hold; the page then shows the summary per field. */
export const REPORT_LINES_READ = 100_000;

function linesCompared(comparison: Comparison): number {
  const lines = (comparison.result?.counts ?? comparison.discrepancy?.counts)?.lines;
  return lines ? lines.match + lines.mismatch + lines.missing + lines.extra + lines.duplicate : 0;
}

export function ComparisonPage() {
  const { comparisonId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const comparison = useComparison(comparisonId);
  const finished = comparison.data !== undefined && comparison.data.status !== "requested";
  const lines = comparison.data ? linesCompared(comparison.data) : 0;
  const report = useComparisonReport(comparisonId, finished && lines <= REPORT_LINES_READ);
  const explained = useComparisonExplained(comparisonId, finished);
  const outcome = OUTCOMES.find((o) => o === params.get("outcome")) ?? "";
  const where: DiscrepancyFilter = { field: params.get("field") ?? "", outcome };
  const selectedId = params.get("d");

  useTitle(`Comparison ${comparison.data?.business_date ?? comparisonId}`);

  const change = (updates: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(updates)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: !("d" in updates) });
  };

  if (comparison.isPending) return <Loading what="the comparison" />;
  if (comparison.isError)
    return (
      <section aria-labelledby="cmp-title">
        <h1 id="cmp-title">Comparison {comparisonId}</h1>
        <ErrorMessage error={comparison.error} what={`comparison ${comparisonId}`} />
        <p>
          <Link to="/comparisons">Back to all comparisons</Link>
        </p>
      </section>
    );
  const data = comparison.data;
  const rows = discrepancyRows(data, report.data);
  const perLine = rows.some((r) => r.entry_id !== null);
  const items = explained.data?.discrepancies ?? [];
  const fields = [...new Set([...rows.map((r) => r.field), ...items.flatMap(differingFields)])].sort();
  const shown = filterRows(rows, where);
  const shownItems = filterExplained(items, where);
  const selected = items.find((d) => d.id === selectedId);
  const counts = data.result?.counts ?? data.discrepancy?.counts;
  const reportUrl = `/api/audit/comparisons/${encodeURIComponent(data.comparison_id)}/report.html`;
  const linkTo = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("d", id);
    return `?${next}`;
  };

  const columns = [
    column.accessor("level", { header: "Level", cell: (c) => c.getValue() ?? "—" }),
    ...(perLine
      ? [
          column.accessor("entry_id", { header: "Entry", cell: (c) => <span className="mono">{c.getValue()}</span> }),
          column.accessor("hts10", { header: "HTS", cell: (c) => <span className="mono">{c.getValue()}</span> }),
        ]
      : []),
    column.accessor("field", { header: "Field", cell: (c) => <span className="mono">{c.getValue()}</span> }),
    column.accessor("expected", {
      header: "Expected (manual)",
      cell: (c) => reportValue(c.row.original.field, c.getValue(), c.row.original.stack),
    }),
    column.accessor("actual", {
      header: "Actual (automated)",
      cell: (c) => reportValue(c.row.original.field, c.getValue(), c.row.original.stack),
    }),
    column.accessor("delta", {
      header: perLine ? "Delta (actual − expected)" : "Largest difference",
      cell: (c) =>
        c.getValue() === null
          ? "—"
          : perLine
            ? shownDelta({ ...c.row.original, differs: true })
            : reportValue(c.row.original.field, c.getValue(), null),
    }),
    column.accessor("tolerance", { header: "Tolerance", cell: (c) => c.getValue() ?? "—" }),
    ...(perLine ? [] : [column.accessor("mismatches", { header: "Mismatches", cell: (c) => c.getValue() ?? "—" })]),
    column.accessor("critical", {
      header: "Outcome",
      cell: (c) => <Badge tone={c.getValue() ? "bad" : "warn"}>{c.getValue() ? "critical" : "non-critical"}</Badge>,
    }),
  ];

  const explainedColumns = [
    explainedColumn.accessor("id", {
      header: "#",
      cell: (c) => (
        <Link
          id={`explain-${c.getValue()}`}
          to={linkTo(c.getValue())}
          aria-label={`Explain discrepancy ${c.getValue()}: entry ${c.row.original.entry_id}, ${lineLabel(c.row.original)}`}
        >
          Explain {c.getValue()}
        </Link>
      ),
    }),
    explainedColumn.accessor("entry_id", { header: "Entry", cell: (c) => <span className="mono">{c.getValue()}</span> }),
    explainedColumn.accessor((d) => lineLabel(d), { id: "line", header: "Line" }),
    explainedColumn.accessor("hts10", { header: "HTS", cell: (c) => <span className="mono">{c.getValue() ?? "—"}</span> }),
    explainedColumn.accessor("origin", { header: "Origin", cell: (c) => c.getValue() ?? "—" }),
    explainedColumn.accessor("outcome", { header: "Outcome" }),
    explainedColumn.accessor((d) => differingFields(d).join(", "), { id: "fields", header: "Differing fields" }),
    explainedColumn.accessor((d) => d.input_differences.map(causeSentence)[0] ?? "", {
      id: "cause",
      header: "Cause in the inputs",
      cell: (c) => {
        const more = c.row.original.input_differences.length - 1;
        return c.getValue() ? `${c.getValue()}${more > 0 ? ` (+${more} more)` : ""}` : "—";
      },
    }),
    explainedColumn.accessor("critical", {
      header: "Critical",
      cell: (c) => <Badge tone={c.getValue() ? "bad" : "warn"}>{c.getValue() ? "critical" : "non-critical"}</Badge>,
    }),
  ];

  return (
    <section aria-labelledby="cmp-title">
      <p>
        <Link to="/comparisons">All comparisons</Link>
      </p>
      <h1 id="cmp-title">
        Comparison of {data.business_date} <OutcomeBadge status={data.status} />
      </h1>
      <dl className="pairs">
        <div>
          <dt>Comparison</dt>
          <dd className="mono">{data.comparison_id}</dd>
        </div>
        <div>
          <dt>Expected run (manual)</dt>
          <dd className="mono">{data.result?.expected_run_id ?? "—"}</dd>
        </div>
        <div>
          <dt>Actual run (automated)</dt>
          <dd className="mono">{data.result?.actual_run_id ?? "—"}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>{utc(data.result?.completed_at)}</dd>
        </div>
        <Counts label="Entries" counts={counts?.entries} />
        <Counts label="Lines" counts={counts?.lines} />
      </dl>
      <p>
        <a href={reportUrl} target="_blank" rel="noopener">
          Open the immutable HTML report
        </a>
      </p>
      {explained.data && <Verdict explained={explained.data} />}
      {explained.data && <WorstFields fields={explained.data.worst_fields} />}
      <form className="filters" aria-label="Filter discrepancies" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="d-field">Field</label>
          <select id="d-field" value={where.field} onChange={(e) => change({ field: e.target.value })}>
            <option value="">every field</option>
            {fields.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="d-outcome">Outcome</label>
          <select id="d-outcome" value={where.outcome} onChange={(e) => change({ outcome: e.target.value })}>
            <option value="">every outcome</option>
            <option value="critical">critical</option>
            <option value="non-critical">non-critical</option>
          </select>
        </div>
        {items.length > 0 && (
          <div className="actions">
            <button
              type="button"
              onClick={() =>
                download(`discrepancies-${data.business_date}-${data.comparison_id}.csv`, discrepanciesCsv(data.comparison_id, shownItems))
              }
            >
              Export discrepancies as CSV
            </button>
          </div>
        )}
      </form>
      {explained.isError && !isMissing(explained.error) && (
        <ErrorMessage error={explained.error} what="the explanation of the discrepancies" />
      )}
      {items.length > 0 && (
        <>
          <h2>Discrepancies explained</h2>
          {explained.data && explained.data.total > items.length && (
            <Notice>
              The first {items.length} of {explained.data.total} discrepancies are explained; the HTML report lists
              every one.
            </Notice>
          )}
          <DataTable
            caption={`Explained discrepancies of ${data.business_date}: ${shownItems.length} of ${items.length}`}
            data={shownItems}
            columns={explainedColumns}
            rowKey={(d) => d.id}
            empty="No discrepancy matches these filters."
          />
        </>
      )}
      <h2>Every differing field</h2>
      {finished && lines > REPORT_LINES_READ && (
        <Notice>
          This comparison holds {lines.toLocaleString("en-US")} lines, more than this page reads of its report; below
          is the summary per field. The HTML report lists every line that disagrees.
        </Notice>
      )}
      {finished && lines <= REPORT_LINES_READ && report.isPending && <Loading what="the report's discrepancies" />}
      {report.isError && (
        <Notice>
          The report could not be read ({report.error.message}); below is the summary per field. The HTML report
          lists every line that disagrees.
        </Notice>
      )}
      <DataTable
        caption={`Discrepancies of ${data.business_date}: ${shown.length} of ${rows.length}`}
        data={shown}
        columns={columns}
        empty={data.status === "passed" ? "No discrepancy: the runs agree." : "No discrepancy matches these filters."}
      />
      {selectedId !== null && explained.data && !selected && (
        <Notice>
          Discrepancy {selectedId} is not among the explained ones.{" "}
          <button type="button" onClick={() => change({ d: null })}>
            Show the list
          </button>
        </Notice>
      )}
      {selected && (
        <SideBySide found={selected} businessDate={data.business_date} onClose={() => change({ d: null })} />
      )}
    </section>
  );
}
