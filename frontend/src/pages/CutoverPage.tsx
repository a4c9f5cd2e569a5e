import { Link } from "react-router";
import { useCutover } from "../api/endpoints";
import { useIsAdmin } from "../auth/session";
import { Badge } from "../components/Badge";
import { ErrorMessage, Loading } from "../components/Status";
import { utc } from "../format";
import { StreakChart } from "./cutover/StreakChart";
import { ChangeForm } from "./cutover/ChangeForm";
import { actionFor } from "./cutover/decision";
import { oldestFirst, readiness } from "./cutover/gate";
import { useTitle } from "../components/useTitle";

export function CutoverPage() {
  useTitle("Cutover");
  const cutover = useCutover();
  const admin = useIsAdmin();

  if (cutover.isPending) return <Loading what="the cutover gate" />;
  if (cutover.isError)
    return (
      <>
        <ErrorMessage error={cutover.error} what="the cutover gate" />
        <button type="button" onClick={() => cutover.refetch()}>
          Try again
        </button>
      </>
    );
  const gate = cutover.data;
  const required = gate.required_streak;
  const ready = readiness(gate);
  const action = actionFor(gate.state);

  return (
    <section aria-labelledby="co-title">
      <h1 id="co-title">Cutover</h1>
      <dl className="cards">
        <div>
          <dt>State</dt>
          <dd>
            <Badge tone={gate.state === "cutover" ? "good" : "info"}>{gate.state}</Badge>
          </dd>
        </div>
        <div>
          <dt>Effective date</dt>
          <dd>{gate.effective_date ?? "—"}</dd>
        </div>
        <div>
          <dt>Parity streak</dt>
          <dd>
            {gate.streak === null ? "not stated yet" : `${gate.streak} day(s)`}
            {required !== null ? ` of ${required} required` : ""}
          </dd>
        </div>
        <div>
          <dt>Gate</dt>
          <dd>
            {ready === "unknown" ? (
              <Badge tone="neutral">awaiting the compare service</Badge>
            ) : (
              <Badge tone={ready === "ready" ? "good" : "bad"}>{ready}</Badge>
            )}
          </dd>
        </div>
      </dl>
      {gate.parity.length ? (
        <StreakChart points={oldestFirst(gate.parity)} required={required} />
      ) : (
        <p className="message message-info">
          No business date compared yet: the streak starts with the first comparison, made once both runs of a
          date have landed. <Link to="/comparisons">The comparisons</Link> · <Link to="/pipeline">The pipeline</Link>
        </p>
      )}
      {admin ? (
        <ChangeForm key={action} action={action} ready={ready} />
      ) : (
        <p className="message message-info">
          Only an admin can cut over or roll back: ask one of them. Every change is audited with its reason.
        </p>
      )}
      <h2>Changes</h2>
      {gate.changes.length === 0 ? (
        <p>No change yet: the manual lines are official.</p>
      ) : (
        <ul className="plain">
          {gate.changes.map((c, i) => (
            <li key={i}>
              <Badge tone="neutral">{c.state}</Badge> from {c.effective_date ?? "—"}
              {` by ${c.changed_by}`}
              {c.reason ? ` — ${c.reason}` : ""}
              {` (${utc(c.changed_at)})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
