import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, keys } from "../../api/endpoints";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { GateReadiness } from "./gate";
import { type CutoverAction, type ChangeDraft, consequence, permission } from "./decision";

const TITLES: Record<CutoverAction, string> = {
  cutover: "Cut over to the automated lines",
  rollback: "Roll back to the manual lines",
};

/** An admin's request to change the gate: disabled while the gate says no (unless forced, with a
 * reason), and confirmed in a dialog that names the action, its date and what follows. */
export function ChangeForm({ action, ready }: { action: CutoverAction; ready: GateReadiness }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<ChangeDraft>({ effectiveDate: "", reason: "", force: false });
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const whyId = useId();
  const allowed = permission(action, ready, draft);
  const forced = action === "cutover" && ready !== "ready" && draft.force;

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (allowed.allowed) setConfirming(true);
  }

  async function send() {
    setConfirming(false);
    try {
      const accepted = await api.changeCutover({
        action,
        effective_date: draft.effectiveDate,
        reason: draft.reason.trim(),
        force: forced,
      });
      setResult({
        ok: true,
        text: `Requested ${action} (${accepted?.id}); the compare service decides and the gate above updates.`,
      });
      await client.invalidateQueries({ queryKey: keys.cutover });
    } catch (error) {
      setResult({ ok: false, text: `Refused: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  return (
    <>
      <form className="stack-form" onSubmit={ask} aria-labelledby="change-title">
        <h2 id="change-title">{TITLES[action]}</h2>
        <label htmlFor="c-date">Effective date</label>
        <input
          id="c-date"
          type="date"
          required
          value={draft.effectiveDate}
          onChange={(e) => setDraft({ ...draft, effectiveDate: e.target.value })}
        />
        {action === "cutover" && ready !== "ready" && (
          <div className="check">
            <input
              id="c-force"
              type="checkbox"
              checked={draft.force}
              onChange={(e) => setDraft({ ...draft, force: e.target.checked })}
            />
            <label htmlFor="c-force">Force, even though the gate says no</label>
          </div>
        )}
        <label htmlFor="c-reason">{forced ? "Reason for forcing (required, kept in the audit trail)" : "Reason (kept in the audit trail)"}</label>
        <textarea
          id="c-reason"
          required
          rows={2}
          value={draft.reason}
          onChange={(e) => setDraft({ ...draft, reason: e.target.value })}
        />
        {allowed.why && (
          <p id={whyId} className="muted">
            {allowed.why}
          </p>
        )}
        <button type="submit" className="primary" disabled={!allowed.allowed} aria-describedby={allowed.why ? whyId : undefined}>
          Request {action}…
        </button>
      </form>
      {confirming && (
        <ConfirmDialog
          title={`${forced ? "Force the cutover" : action === "cutover" ? "Cut over" : "Roll back"} from ${draft.effectiveDate}?`}
          confirm={`Confirm ${action}`}
          onConfirm={send}
          onCancel={() => setConfirming(false)}
        >
          <p>{consequence(action, draft.effectiveDate, forced)}</p>
          <p>Reason: {draft.reason.trim()}</p>
        </ConfirmDialog>
      )}
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`message ${result.ok ? "message-ok" : "message-error"}`}>
          {result.text}
        </p>
      )}
    </>
  );
}
