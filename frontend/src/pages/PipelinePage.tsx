import { createColumnHelper } from "@tanstack/react-table";
import { type FormEvent, useState } from "react";
import { api, isMissing, keys, usePipeline } from "../api/endpoints";
import { useQueryClient } from "@tanstack/react-query";
import type { DatasetStatus, Freshness, QueueStatus, Replay, SourceStatus } from "../api/types";
import type { Schemas } from "../api/typed";
import { Badge } from "../components/Badge";
import { DataTable } from "../components/DataTable";
import { ErrorMessage, Loading, Notice } from "../components/Status";
import { useIsAdmin } from "../auth/session";
import { age, number, utc } from "../format";
import { FeeNoticeForm } from "./pipeline/FeeNoticeForm";
import { ReferenceData } from "./pipeline/ReferenceData";
import { useTitle } from "../components/useTitle";
import { FormResult } from "../components/FormResult";

function FreshnessBadge({ freshness }: { freshness: Freshness }) {
  const tone = freshness.state === "fresh" ? "good" : freshness.state === "stale" ? "bad" : "neutral";
  return (
    <Badge tone={tone}>
      {freshness.state}
      {freshness.age_s !== null && freshness.state !== "never" ? `, ${age(freshness.age_s)} old` : ""}
    </Badge>
  );
}

const source = createColumnHelper<SourceStatus>();
const sourceColumns = [
  source.accessor("name", { header: "Source", cell: (c) => <span className="mono">{c.getValue()}</span> }),
  source.accessor((s) => s.last_run?.at ?? "", {
    id: "last_run",
    header: "Last run",
    cell: (c) => {
      const run = c.row.original.last_run;
      if (!run) return "never";
      return (
        <>
          <Badge tone={run.status === "landed" ? "good" : "bad"}>{run.status}</Badge> {utc(run.at)}
          {run.rows !== null ? `, ${number(run.rows)} rows` : ""}
          {run.status === "failed" && run.detail ? <div className="small">{run.detail}</div> : null}
        </>
      );
    },
  }),
  source.accessor("last_success_at", { header: "Last success", cell: (c) => utc(c.getValue()) }),
  source.accessor("freshness", {
    header: "Freshness",
    enableSorting: false,
    cell: (c) => <FreshnessBadge freshness={c.getValue()} />,
  }),
  source.accessor("failures", { header: "Failures" }),
];

const dataset = createColumnHelper<DatasetStatus>();
const datasetColumns = [
  dataset.accessor("name", { header: "Dataset", cell: (c) => <span className="mono">{c.getValue()}</span> }),
  dataset.accessor("mode", { header: "Mode" }),
  dataset.accessor("version", { header: "Version", cell: (c) => <span className="mono">{c.getValue() ?? "—"}</span> }),
  dataset.accessor("published_at", { header: "Published", cell: (c) => utc(c.getValue()) }),
  dataset.accessor("rows", { header: "Rows", cell: (c) => number(c.getValue()) }),
  dataset.accessor("rejected_rows", { header: "Rejected rows", cell: (c) => number(c.getValue()) }),
  dataset.accessor("failures", { header: "Held since last publication" }),
  dataset.accessor("held", {
    header: "Held",
    cell: (c) => (c.getValue() ? <Badge tone="bad">held</Badge> : "no"),
  }),
  dataset.accessor("freshness", {
    header: "Freshness",
    enableSorting: false,
    cell: (c) => <FreshnessBadge freshness={c.getValue()} />,
  }),
];

const queue = createColumnHelper<QueueStatus>();
const queueColumns = [
  queue.accessor("subscription", { header: "Subscription", cell: (c) => <span className="mono">{c.getValue()}</span> }),
  queue.accessor("depth", { header: "Waiting" }),
  queue.accessor("dlq_depth", {
    header: "Dead letters",
    cell: (c) => (c.getValue() > 0 ? <Badge tone="bad">{c.getValue()}</Badge> : "0"),
  }),
];

const replay = createColumnHelper<Replay>();
const replayColumns = [
  replay.accessor("name", { header: "Replay", cell: (c) => <span className="mono">{c.getValue()}</span> }),
  replay.accessor("stage", { header: "Stage", cell: (c) => c.getValue() ?? "—" }),
  replay.accessor("state", { header: "State" }),
  replay.accessor("since", { header: "Since", cell: (c) => utc(c.getValue()) }),
  replay.accessor("until", { header: "Until", cell: (c) => utc(c.getValue()) }),
  replay.accessor("reason", { header: "Reason", cell: (c) => c.getValue() ?? "—" }),
];

/** A stage is a service; its subscriptions are named `<service>-<name>`. */
export function stagesOf(queues: QueueStatus[]): string[] {
  return [...new Set(queues.map((q) => q.subscription.split("-")[0] ?? q.subscription))].sort();
}

function ReplayForm({ stages }: { stages: string[] }) {
  const client = useQueryClient();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const toIso = (v: FormDataEntryValue | null) => new Date(`${String(v)}Z`).toISOString();
    try {
      await api.replay({
        // The form's choices are the API's stages; the API refuses any other.
        stage: String(form.get("stage")) as Schemas["ReplayCreate"]["stage"],
        since: toIso(form.get("since")),
        until: toIso(form.get("until")),
        reason: String(form.get("reason")),
      });
      setResult({ ok: true, text: "Replay requested." });
      await client.invalidateQueries({ queryKey: keys.pipeline });
    } catch (error) {
      setResult({ ok: false, text: `The replay was refused: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return (
    <form className="filters" onSubmit={submit} aria-labelledby="replay-title">
      <h2 id="replay-title" className="full">
        Replay a stage
      </h2>
      <div>
        <label htmlFor="r-stage">Stage</label>
        <select id="r-stage" name="stage" required>
          {stages.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="r-since">Since (UTC)</label>
        <input id="r-since" name="since" type="datetime-local" required />
      </div>
      <div>
        <label htmlFor="r-until">Until (UTC)</label>
        <input id="r-until" name="until" type="datetime-local" required />
      </div>
      <div className="grow">
        <label htmlFor="r-reason">Reason</label>
        <input id="r-reason" name="reason" required minLength={3} />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Request replay
        </button>
      </div>
      <FormResult result={result} />
    </form>
  );
}

export function PipelinePage() {
  useTitle("Pipeline");
  const pipeline = usePipeline();
  const admin = useIsAdmin();
  return (
    <section aria-labelledby="pl-title">
      <h1 id="pl-title">Pipeline</h1>
      {pipeline.isPending && <Loading what="the pipeline's state" />}
      {pipeline.isError &&
        (isMissing(pipeline.error) ? (
          <Notice>This API does not report the pipeline's state (no GET /api/pipeline).</Notice>
        ) : (
          <ErrorMessage error={pipeline.error} what="the pipeline's state" />
        ))}
      {pipeline.data && (
        <>
          <p className="muted">As of {utc(pipeline.data.generated_at)}</p>
          {pipeline.data.fee_table && pipeline.data.hts_revision && (
            <ReferenceData fees={pipeline.data.fee_table} hts={pipeline.data.hts_revision} />
          )}
          <h2>Sources</h2>
          <DataTable caption="Extract sources" data={pipeline.data.sources} columns={sourceColumns} rowKey={(s) => s.name} />
          <h2>Datasets</h2>
          <DataTable
            caption="Published datasets, by mode"
            data={pipeline.data.datasets}
            columns={datasetColumns}
            rowKey={(d) => `${d.name}/${d.mode}`}
          />
          <h2>Queues</h2>
          <DataTable
            caption="Subscription queues and their dead-letter queues"
            data={pipeline.data.queues}
            columns={queueColumns}
            rowKey={(q) => q.subscription}
          />
          <h2>Replays</h2>
          <DataTable
            caption="Replays of the event archive"
            data={pipeline.data.replays}
            columns={replayColumns}
            rowKey={(r) => r.name}
            empty="No replay yet."
          />
        </>
      )}
      {admin && pipeline.data && <ReplayForm stages={stagesOf(pipeline.data.queues)} />}
      {admin && pipeline.data && <FeeNoticeForm />}
    </section>
  );
}
