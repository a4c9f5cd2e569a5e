import { type ColumnDef, type SortingState, createColumnHelper } from "@tanstack/react-table";
import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, isMissing, type LineQuery, useLines } from "../api/endpoints";
import type { CustomsLine, EntrySummary, Mode } from "../api/types";
import { Badge, OfficialBadge } from "../components/Badge";
import { DataTable } from "../components/DataTable";
import { useTitle } from "../components/useTitle";
import { ErrorMessage, Loading, Notice } from "../components/Status";
import { cents, dollars, number, wholeDollars } from "../format";
import { nearestDates, useKnownDates } from "./dates";
import { EntryDrawer } from "./lines/EntryDrawer";
import { LineDrawer } from "./lines/LineDrawer";
import { Pager } from "./lines/Pager";
import { QuarantinedLines } from "./lines/QuarantinedLines";

export const PAGE_SIZES = [25, 50, 100, 200] as const;
// The columns the API sorts by (its `sort` parameter), by the lines table's column ids.
const SERVER_SORTS = new Set(["entry_id", "line", "hts10", "origin", "description", "value", "duty"]);

const line = createColumnHelper<CustomsLine>();
const entry = createColumnHelper<EntrySummary>();

function readQuery(params: URLSearchParams, fallbackDate: string | undefined): LineQuery | null {
  const date = params.get("date") ?? fallbackDate;
  if (!date) return null;
  const mode = params.get("mode");
  return {
    date,
    mode: mode === "automated" || mode === "manual" ? (mode as Mode) : undefined,
    entry: params.get("entry") ?? undefined,
    hts: params.get("hts") ?? undefined,
    origin: params.get("origin") ?? undefined,
    q: params.get("q") ?? undefined,
    sort: SERVER_SORTS.has(params.get("sort") ?? "") ? (params.get("sort") ?? undefined) : undefined,
    order: params.get("order") === "desc" ? "desc" : undefined,
    page: Number(params.get("page") ?? "1") || 1,
    page_size: PAGE_SIZES.find((size) => String(size) === params.get("page_size")),
  };
}

export function LinesPage() {
  const [params, setParams] = useSearchParams();
  const dates = useKnownDates();
  const q = readQuery(params, dates[0]);
  const lines = useLines(q ?? { date: "" }, q !== null);
  const [openLine, setOpenLine] = useState<CustomsLine | null>(null);
  const [openEntry, setOpenEntry] = useState<EntrySummary | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const showQuarantined = params.get("view") === "quarantined";

  useTitle(`Customs lines${q ? ` of ${q.date}` : ""}`);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of ["date", "mode", "q", "entry", "hts", "origin", "page_size"]) {
      const value = String(form.get(key) ?? "").trim();
      if (value) next.set(key, value);
    }
    for (const key of ["sort", "order"]) {
      const kept = params.get(key);
      if (kept) next.set(key, kept);
    }
    setParams(next);
  }

  function change(updates: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    if (q && !next.get("date")) next.set("date", q.date);
    for (const [key, value] of Object.entries(updates)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  }

  const goTo = (page: number) => change({ page: String(page) });
  const sorting: SortingState = q?.sort ? [{ id: q.sort, desc: q.order === "desc" }] : [];
  const sortBy = (next: SortingState) =>
    change({ sort: next[0]?.id ?? null, order: next[0]?.desc ? "desc" : null, page: null });

  async function exportCsv() {
    if (!q) return;
    setExporting("Preparing the CSV…");
    try {
      const blob = await api.linesCsv(q);
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `customs-lines-${q.date}-${lines.data?.mode ?? q.mode ?? "official"}.csv`;
      link.click();
      URL.revokeObjectURL(url);
      setExporting(null);
    } catch (error) {
      setExporting(`The export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const lineColumns: ColumnDef<CustomsLine, any>[] = [
    line.accessor("entry_id", { header: "Entry", cell: (c) => <span className="mono">{c.getValue()}</span> }),
    line.accessor("line", { header: "Line" }),
    line.accessor((l) => l.stack.join(" "), {
      id: "hts10",
      header: "HTS stack",
      cell: (c) => (
        <ol className="stack" aria-label="HTS numbers in filing order">
          {c.row.original.stack.map((hts) => (
            <li key={hts} className="mono">
              {hts}
            </li>
          ))}
        </ol>
      ),
    }),
    line.accessor("description", { header: "Description" }),
    line.accessor("origin", { header: "Origin" }),
    line.accessor("value", { header: "Value", cell: (c) => wholeDollars(c.getValue()) }),
    line.accessor((l) => Number(l.duty), { id: "duty", header: "Duty", cell: (c) => dollars(c.row.original.duty) }),
    line.display({
      id: "lineage",
      enableSorting: false,
      header: "Lineage",
      cell: (c) => (
        <button
          type="button"
          aria-label={`Lineage of line ${c.row.original.line} of entry ${c.row.original.entry_id}`}
          onClick={() => setOpenLine(c.row.original)}
        >
          Lineage
        </button>
      ),
    }),
  ];

  const entryColumns: ColumnDef<EntrySummary, any>[] = [
    entry.accessor("entry_id", {
      header: "Entry",
      cell: (c) => (
        <button type="button" className="link" onClick={() => setOpenEntry(c.row.original)}>
          {c.getValue()}
        </button>
      ),
    }),
    entry.accessor("port", { header: "Port" }),
    entry.accessor("arrival", { header: "Arrival" }),
    entry.accessor((e) => (e.formal ? "formal" : "informal"), {
      id: "formal",
      header: "Entry type",
      cell: (c) => (
        <>
          <Badge tone={c.row.original.formal ? "neutral" : "info"}>{c.getValue()}</Badge>
          {c.row.original.flags
            .filter((flag) => flag !== "informal")
            .map((flag) => (
              <Badge key={flag} tone="warn">
                {flag.replaceAll("_", " ")}
              </Badge>
            ))}
        </>
      ),
    }),
    entry.accessor("lines", { header: "Lines" }),
    entry.accessor((e) => e.totals.value, { id: "value", header: "Value", cell: (c) => wholeDollars(c.getValue()) }),
    // Fees are decimal text (null when none is due); sorting reads them as numbers.
    ...(["duty", "mpf", "hmf"] as const).map((fee) =>
      entry.accessor((e) => (e.totals[fee] === null ? -1 : Number(e.totals[fee])), {
        id: fee,
        header: fee === "duty" ? "Duty" : fee.toUpperCase(),
        cell: (c) => (c.row.original.totals[fee] === null ? "none" : dollars(c.row.original.totals[fee])),
      }),
    ),
  ];

  const data = lines.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.page_size)) : 1;
  return (
    <section aria-labelledby="lines-title">
      <h1 id="lines-title">Customs lines</h1>
      <form className="filters" onSubmit={apply} key={params.toString()} aria-label="Choose lines">
        <div>
          <label htmlFor="f-date">Business date</label>
          <input id="f-date" name="date" type="date" defaultValue={q?.date ?? ""} list="known-dates" required />
          <datalist id="known-dates">
            {dates.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="f-mode">Run</label>
          <select id="f-mode" name="mode" defaultValue={q?.mode ?? ""}>
            <option value="">official</option>
            <option value="automated">automated</option>
            <option value="manual">manual</option>
          </select>
        </div>
        <div className="grow">
          <label htmlFor="f-q">Search</label>
          <input
            id="f-q"
            name="q"
            type="search"
            defaultValue={q?.q ?? ""}
            aria-describedby="f-q-hint"
            maxLength={64}
          />
          <small id="f-q-hint" className="muted">
            Entry, HTS prefix, description, invoice document or material number
          </small>
        </div>
        <div>
          <label htmlFor="f-entry">Entry</label>
          <input id="f-entry" name="entry" defaultValue={q?.entry ?? ""} />
        </div>
        <div>
          <label htmlFor="f-hts">HTS</label>
          <input id="f-hts" name="hts" defaultValue={q?.hts ?? ""} inputMode="decimal" pattern="[0-9.]*" />
        </div>
        <div>
          <label htmlFor="f-origin">Origin</label>
          <input id="f-origin" name="origin" defaultValue={q?.origin ?? ""} />
        </div>
        <div>
          <label htmlFor="f-size">Lines per page</label>
          <select id="f-size" name="page_size" defaultValue={String(q?.page_size ?? "")}>
            <option value="">default</option>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Show lines
          </button>
          <button type="button" onClick={exportCsv} disabled={!data}>
            Export CSV
          </button>
        </div>
      </form>
      {exporting && <Notice>{exporting}</Notice>}
      {!q && <Notice>No business date has been processed yet. Pick a date.</Notice>}
      {q && lines.isPending && <Loading what="the lines" />}
      {lines.isError && q && isMissing(lines.error) ? (
        <Notice>
          No run has lines for {q.date}
          {q.mode ? ` on the ${q.mode} path` : ""} ({lines.error.message}).{" "}
          {nearestDates(q.date, dates).length > 0 ? (
            <>
              Nearest dates with runs:{" "}
              {nearestDates(q.date, dates).map((d, i) => (
                <span key={d}>
                  {i > 0 && ", "}
                  <Link to={`?${new URLSearchParams({ date: d })}`}>{d}</Link>
                </span>
              ))}
              .
            </>
          ) : (
            "No date has been processed yet."
          )}
        </Notice>
      ) : (
        lines.isError && <ErrorMessage error={lines.error} what={`the lines of ${q?.date}`} />
      )}
      {data && (
        <>
          <section className="summary" aria-label="Run totals">
            <p>
              {data.business_date}, {data.mode} run <span className="mono">{data.run_id}</span>{" "}
              <OfficialBadge official={data.official} />
            </p>
            <dl className="cards">
              <div>
                <dt>Entries</dt>
                <dd>{number(data.totals.entries)}</dd>
              </div>
              <div>
                <dt>Lines</dt>
                <dd>{number(data.totals.lines)}</dd>
              </div>
              <div>
                <dt>Entered value</dt>
                <dd>{cents(data.totals.entered_value_cents)}</dd>
              </div>
              <div>
                <dt>Duty</dt>
                <dd>{cents(data.totals.duty_cents)}</dd>
              </div>
              <div>
                <dt>MPF</dt>
                <dd>{cents(data.totals.mpf_cents)}</dd>
              </div>
              <div>
                <dt>HMF</dt>
                <dd>{cents(data.totals.hmf_cents)}</dd>
              </div>
              <div>
                <dt>Quarantined lines</dt>
                <dd>{number(data.quarantined_lines)}</dd>
              </div>
            </dl>
            {data.quarantined_lines > 0 && !showQuarantined && (
              <p>
                <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), date: data.business_date, view: "quarantined" })}`}>
                  Show the {number(data.quarantined_lines)} quarantined line(s), each with the fix it needs
                </Link>
              </p>
            )}
          </section>
          {showQuarantined && (
            <QuarantinedLines date={data.business_date} mode={q?.mode} onClose={() => change({ view: null })} />
          )}
          <section className="summary" aria-label="Totals of the lines matching the filters">
            <h2 className="small">Matching these filters</h2>
            <p>
              {number(data.filtered_totals.lines)} of {number(data.totals.lines)} lines in{" "}
              {number(data.filtered_totals.entries)} entries: value {wholeDollars(data.filtered_totals.value)}, duty{" "}
              {cents(data.filtered_totals.duty_cents)}. The run totals above cover the whole run.
            </p>
          </section>
          <h2>Entries</h2>
          <DataTable
            caption={`Entries of the lines on this page, totals as filed (${data.business_date}); ${data.filtered_totals.entries} entries match these filters in all`}
            data={data.entries}
            columns={entryColumns}
            rowKey={(e) => e.entry_id}
            empty="No line on this page, so no entry."
          />
          <h2>Lines</h2>
          <Pager page={data.page} pages={pages} onGo={goTo} label="Pages of lines (top)" />
          <DataTable
            serverSort={{ sorting, onChange: sortBy }}
            caption={`Lines ${data.total === 0 ? 0 : (data.page - 1) * data.page_size + 1}–${(data.page - 1) * data.page_size + data.lines.length} of ${data.total}`}
            data={data.lines}
            columns={lineColumns}
            rowKey={(l) => `${l.entry_id}#${l.line}`}
            empty="No line matches these filters."
          />
          <Pager page={data.page} pages={pages} onGo={goTo} label="Pages of lines" />
        </>
      )}
      {openLine && <LineDrawer line={openLine} onClose={() => setOpenLine(null)} />}
      {openEntry && data && (
        <EntryDrawer summary={openEntry} mode={data.mode} onClose={() => setOpenEntry(null)} />
      )}
    </section>
  );
}
