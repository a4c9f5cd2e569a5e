import { createColumnHelper } from "@tanstack/react-table";
import { Link } from "react-router";
import { useComparisons } from "../api/endpoints";
import type { Comparison } from "../api/types";
import { OutcomeBadge } from "../components/Badge";
import { DataTable } from "../components/DataTable";
import { ErrorMessage, Loading } from "../components/Status";
import { utc } from "../format";
import { useTitle } from "../components/useTitle";

const column = createColumnHelper<Comparison>();

const columns = [
  column.accessor("business_date", { header: "Business date" }),
  column.accessor("status", { header: "Outcome", cell: (c) => <OutcomeBadge status={c.getValue()} /> }),
  column.accessor("comparison_id", {
    header: "Comparison",
    cell: (c) => (
      <Link to={`/comparisons/${encodeURIComponent(c.getValue())}`} className="mono">
        {c.getValue()}
      </Link>
    ),
  }),
  column.accessor((c) => c.result?.counts?.lines, {
    id: "lines",
    header: "Lines match / mismatch / missing / extra",
    enableSorting: false,
    cell: (c) => {
      const n = c.getValue();
      return n ? `${n.match} / ${n.mismatch} / ${n.missing} / ${n.extra}` : "—";
    },
  }),
  column.accessor((c) => c.result?.completed_at ?? "", {
    id: "completed",
    header: "Completed",
    cell: (c) => utc(c.getValue() || null),
  }),
];

export function ComparisonsPage() {
  useTitle("Comparisons");
  const comparisons = useComparisons();
  return (
    <section aria-labelledby="cmp-title">
      <h1 id="cmp-title">Comparison reports</h1>
      <p className="muted">The manual lines (expected) against the automated lines (actual), field by field.</p>
      {comparisons.isPending && <Loading what="the comparisons" />}
      {comparisons.isError && <ErrorMessage error={comparisons.error} what="the comparisons" />}
      {comparisons.data && (
        <DataTable
          caption="Comparisons, newest business date first"
          data={comparisons.data}
          columns={columns}
          rowKey={(c) => c.comparison_id}
          empty="No comparison yet."
        />
      )}
    </section>
  );
}
