import { Link } from "react-router";
import { isMissing, usePipeline } from "../../api/endpoints";
import type { Alert, Comparison } from "../../api/types";
import { Badge } from "../../components/Badge";
import { ErrorMessage, Loading, Notice } from "../../components/Status";
import { type Check, type Context, healthChecks } from "./checks";

function Verdict({ ok }: { ok: Check["ok"] }) {
  if (ok === null) return <Badge tone="info">info</Badge>;
  return <Badge tone={ok ? "good" : "bad"}>{ok ? "ok" : "look"}</Badge>;
}

export function Health({ alerts, comparisons, context }: { alerts: Alert[]; comparisons: Comparison[]; context: Context }) {
  const pipeline = usePipeline();
  if (pipeline.isPending) return <Loading what="the pipeline's health" />;
  if (pipeline.isError)
    return isMissing(pipeline.error) ? (
      <Notice>This API does not report the pipeline's state.</Notice>
    ) : (
      <>
        <ErrorMessage error={pipeline.error} what="the pipeline's health" />
        <button type="button" onClick={() => pipeline.refetch()}>
          Try again
        </button>
      </>
    );
  const checks = healthChecks(pipeline.data, alerts, comparisons, context);
  const failing = checks.filter((c) => c.ok === false).length;
  return (
    <section aria-labelledby="health-title">
      <h2 id="health-title">
        Is it healthy? <Badge tone={failing ? "bad" : "good"}>{failing ? `${failing} to look at` : "yes"}</Badge>
      </h2>
      <ul className="health">
        {checks.map((check) => (
          <li key={check.name}>
            <Verdict ok={check.ok} /> <strong>{check.name}</strong>: {check.text}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/pipeline">The pipeline in detail</Link> · <Link to="/alerts">The alerts</Link> ·{" "}
        <Link to="/cutover">The cutover gate</Link>
      </p>
    </section>
  );
}
