import { createColumnHelper } from "@tanstack/react-table";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useComparison, useComparisonReport } from "../api/endpoints";
import type { OutcomeCounts } from "../api/types";
import { Badge, OutcomeBadge } from "../components/Badge";
import { DataTable } from "../components/DataTable";
import { ErrorMessage, Loading, Notice } from "../components/Status";
import { utc } from "../format";
import { type DiscrepancyFilter, type DiscrepancyRow, discrepancyRows, filterRows } from "./comparison/discrepancies";

const column = createColumnHelper<DiscrepancyRow>();

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

export function ComparisonPage() {
  const { comparisonId = "" } = useParams();
  const comparison = useComparison(comparisonId);
  const finished = comparison.data !== undefined && comparison.data.status !== "requested";
  const report = useComparisonReport(comparisonId, finished);
  const [where, setWhere] = useState<DiscrepancyFilter>({ field: "", outcome: "" });

  if (comparison.isPending) return <Loading what="the comparison" />;
  if (comparison.isError) return <ErrorMessage error={comparison.error} what={`comparison ${comparisonId}`} />;
  const data = comparison.data;
  const rows = discrepancyRows(data, report.data);
  const perLine = rows.some((r) => r.entry_id !== null);
  const fields = [...new Set(rows.map((r) => r.field))].sort();
  const shown = filterRows(rows, where);
  const counts = data.result?.counts ?? data.discrepancy?.counts;
  const reportUrl = `/api/audit/comparisons/${encodeURIComponent(data.comparison_id)}/report.html`;

  const columns = [
    column.accessor("level", { header: "Level", cell: (c) => c.getValue() ?? "—" }),
    ...(perLine
      ? [
          column.accessor("entry_id", { header: "Entry", cell: (c) => <span className="mono">{c.getValue()}</span> }),
          column.accessor("hts10", { header: "HTS", cell: (c) => <span className="mono">{c.getValue()}</span> }),
        ]
      : []),
    column.accessor("field", { header: "Field", cell: (c) => <span className="mono">{c.getValue()}</span> }),
    column.accessor("expected", { header: "Expected (manual)", cell: (c) => c.getValue() ?? "—" }),
    column.accessor("actual", { header: "Actual (automated)", cell: (c) => c.getValue() ?? "—" }),
    column.accessor("delta", { header: perLine ? "Delta" : "Largest delta", cell: (c) => c.getValue() ?? "—" }),
    column.accessor("tolerance", { header: "Tolerance", cell: (c) => c.getValue() ?? "—" }),
    ...(perLine ? [] : [column.accessor("mismatches", { header: "Mismatches", cell: (c) => c.getValue() ?? "—" })]),
    column.accessor("critical", {
      header: "Outcome",
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
      <h2>Discrepancies</h2>
      {finished && report.isPending && <Loading what="the report's discrepancies" />}
      {report.isError && (
        <Notice>
          The report could not be read ({report.error.message}); below is the summary per field. The HTML report
          lists every line that disagrees.
        </Notice>
      )}
      <form className="filters" aria-label="Filter discrepancies" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="d-field">Field</label>
          <select id="d-field" value={where.field} onChange={(e) => setWhere({ ...where, field: e.target.value })}>
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
          <select
            id="d-outcome"
            value={where.outcome}
            onChange={(e) => setWhere({ ...where, outcome: e.target.value as DiscrepancyFilter["outcome"] })}
          >
            <option value="">every outcome</option>
            <option value="critical">critical</option>
            <option value="non-critical">non-critical</option>
          </select>
        </div>
      </form>
      <DataTable
        caption={`Discrepancies of ${data.business_date}: ${shown.length} of ${rows.length}`}
        data={shown}
        columns={columns}
        empty={data.status === "passed" ? "No discrepancy: the runs agree." : "No discrepancy matches these filters."}
      />
    </section>
  );
}
