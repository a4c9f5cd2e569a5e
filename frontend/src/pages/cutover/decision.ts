import type { GateReadiness } from "./gate";

export type CutoverAction = "cutover" | "rollback";

/** What an admin has filled in so far. */
export interface ChangeDraft {
  effectiveDate: string;
  reason: string;
  force: boolean;
}

/** Whether the action may be asked for now and, when not, the sentence that says why. */
export interface Permission {
  allowed: boolean;
  why: string | null;
}

/** The action the gate offers from its state: a cutover from shadow, a rollback once cut over. */
export function actionFor(state: "shadow" | "cutover"): CutoverAction {
  return state === "shadow" ? "cutover" : "rollback";
}

/** A cutover waits for the gate unless forced, and a forced one needs a reason; a rollback needs no
 * streak. The compare service decides again on its own figures: this only spares a request it
 * would refuse. */
export function permission(action: CutoverAction, ready: GateReadiness, draft: ChangeDraft): Permission {
  const reason = draft.reason.trim() !== "";
  if (action === "cutover" && ready !== "ready" && !draft.force) {
    const gate = ready === "unknown" ? "the compare service has not stated the streak yet" : "the streak is too short";
    return { allowed: false, why: `The gate says no: ${gate}. Tick “force” to cut over anyway, with a reason.` };
  }
  if (action === "cutover" && ready !== "ready" && !reason) {
    return { allowed: false, why: "A forced cutover needs a reason: it is kept in the audit trail." };
  }
  if (!draft.effectiveDate) return { allowed: false, why: "Choose the effective date." };
  if (!reason) return { allowed: false, why: "Give a reason: it is kept in the audit trail." };
  return { allowed: true, why: null };
}

/** What the change does, in a sentence the confirmation asks about. */
export function consequence(action: CutoverAction, effectiveDate: string, forced: boolean): string {
  const change =
    action === "cutover"
      ? `From ${effectiveDate} the automated lines become official: each arrival date from then on is filed from the automated run.`
      : `From ${effectiveDate} the manual lines become official again: each arrival date from then on is filed from the manual run.`;
  return forced ? `${change} The change is recorded as forced, below the required streak.` : change;
}
