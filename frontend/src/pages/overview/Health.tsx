import { Link } from "react-router";
import { isMissing, usePipeline } from "../../api/endpoints";
import type { Alert, Comparison, Pipeline } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ErrorMessage, Loading, Notice } from "../../components/Status";

interface Check {
  name: string;
  ok: boolean;
  text: string;
}

/** The checks that answer "is it healthy?", each a sentence with its own verdict. */
export function healthChecks(pipeline: Pipeline, alerts: Alert[], comparisons: Comparison[]): Check[] {
  const staleSources = pipeline.sources.filter((s) => s.freshness.state !== "fresh").map((s) => s.name);
  const staleDatasets = pipeline.datasets
    .filter((d) => d.freshness.state === "stale")
    .map((d) => `${d.name} (${d.mode})`);
  const held = pipeline.datasets.filter((d) => d.held).map((d) => `${d.name} (${d.mode})`);
  const deadLetters = pipeline.queues.reduce((sum, q) => sum + q.dlq_depth, 0);
  const latest = comparisons[0];
  const critical = alerts.filter((a) => a.severity === "critical").length;
  const fees = pipeline.fee_table;
  const hts = pipeline.hts_revision;
  const checks: Check[] = [
    {
      name: "Sources",
      ok: staleSources.length === 0,
      text: staleSources.length ? `Not fresh: ${staleSources.join(", ")}` : "Every source landed within its threshold.",
    },
    {
      name: "Datasets",
      ok: staleDatasets.length === 0 && held.length === 0,
      text:
        [staleDatasets.length ? `stale: ${staleDatasets.join(", ")}` : "", held.length ? `held: ${held.join(", ")}` : ""]
          .filter(Boolean)
          .join("; ") || "Every dataset is fresh and none is held.",
    },
    {
      name: "Dead letters",
      ok: deadLetters === 0,
      text: deadLetters ? `${deadLetters} message(s) in dead-letter queues.` : "No dead letters.",
    },
    {
      name: "Latest comparison",
      ok: latest?.status !== "failed",
      text: latest ? `${latest.business_date}: ${latest.status}` : "No comparison yet.",
    },
    {
      name: "Alerts",
      ok: critical === 0,
      text: `${alerts.length} open, ${critical} critical.`,
    },
  ];
  if (fees) {
    checks.push({
      name: "Fee table",
      ok: !fees.short && fees.refused.length === 0,
      text:
        fees.problem ??
        (fees.covered_until
          ? `Covers until ${fees.covered_until} (${fees.days_ahead} of ${fees.threshold_days} days required).`
          : "No fee table yet.") + (fees.refused.length ? ` ${fees.refused.length} notice(s) refused.` : ""),
    });
  }
  if (hts) {
    checks.push({
      name: "HTS revision",
      ok: hts.waiting === null,
      text:
        `In force: ${hts.landed ?? "none"}.` +
        (hts.waiting ? ` Waiting: ${hts.waiting}` : "") +
        (hts.changed_count ? ` ${hts.changed_count} company number(s) changed.` : ""),
    });
  }
  return checks;
}

export function Health({ alerts, comparisons }: { alerts: Alert[]; comparisons: Comparison[] }) {
  const pipeline = usePipeline();
  if (pipeline.isPending) return <Loading what="the pipeline's health" />;
  if (pipeline.isError)
    return isMissing(pipeline.error) ? (
      <Notice>This API does not report the pipeline's state.</Notice>
    ) : (
      <ErrorMessage error={pipeline.error} what="the pipeline's health" />
    );
  const checks = healthChecks(pipeline.data, alerts, comparisons);
  const failing = checks.filter((c) => !c.ok).length;
  return (
    <section aria-labelledby="health-title">
      <h2 id="health-title">
        Is it healthy? <Badge tone={failing ? "bad" : "good"}>{failing ? `${failing} to look at` : "yes"}</Badge>
      </h2>
      <ul className="health">
        {checks.map((check) => (
          <li key={check.name}>
            <Badge tone={check.ok ? "good" : "bad"}>{check.ok ? "ok" : "look"}</Badge> <strong>{check.name}</strong>:{" "}
            {check.text}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/pipeline">The pipeline in detail</Link>
      </p>
    </section>
  );
}
