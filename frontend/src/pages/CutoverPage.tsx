import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, keys, useCutover } from "../api/endpoints";
import { Badge } from "../components/Badge";
import { ErrorMessage, Loading } from "../components/Status";
import { utc } from "../format";
import { StreakChart } from "./cutover/StreakChart";
import { oldestFirst, readiness } from "./cutover/gate";
import { useTitle } from "../components/useTitle";

export function CutoverPage() {
  useTitle("Cutover");
  const cutover = useCutover();
  const client = useQueryClient();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  if (cutover.isPending) return <Loading what="the cutover gate" />;
  if (cutover.isError) return <ErrorMessage error={cutover.error} what="the cutover gate" />;
  const gate = cutover.data;
  const required = gate.required_streak;
  const ready = readiness(gate);
  const action = gate.state === "shadow" ? "cutover" : "rollback";

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const accepted = await api.changeCutover({
        action,
        effective_date: String(form.get("effective_date")),
        reason: String(form.get("reason")),
        force: form.get("force") === "on",
      });
      setResult({
        ok: true,
        text: `Requested ${action} (${accepted?.id}); the compare service decides and the gate below updates.`,
      });
      await client.invalidateQueries({ queryKey: keys.cutover });
    } catch (error) {
      setResult({ ok: false, text: `Refused: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

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
      <StreakChart points={oldestFirst(gate.parity)} required={required} />
      <form className="stack-form" onSubmit={submit} aria-labelledby="change-title">
        <h2 id="change-title">{action === "cutover" ? "Cut over to the automated lines" : "Roll back to the manual lines"}</h2>
        <label htmlFor="c-date">Effective date</label>
        <input id="c-date" name="effective_date" type="date" required />
        <label htmlFor="c-reason">Reason (kept in the audit trail)</label>
        <textarea id="c-reason" name="reason" required minLength={3} rows={2} />
        <div className="check">
          <input id="c-force" name="force" type="checkbox" />
          <label htmlFor="c-force">Force, even if the streak is short</label>
        </div>
        <button type="submit" className="primary">
          Request {action}
        </button>
      </form>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`message ${result.ok ? "message-ok" : "message-error"}`}>
          {result.text}
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
