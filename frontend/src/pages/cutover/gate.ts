import type { Cutover, ParityDay } from "../../api/types";

export type GateReadiness = "ready" | "not yet" | "unknown";

/** Whether a cutover would be allowed without force, from the streak and requirement the compare
 * service announced; unknown until it has said both. */
export function readiness(gate: Pick<Cutover, "streak" | "required_streak">): GateReadiness {
  if (gate.streak === null || gate.required_streak === null) return "unknown";
  return gate.streak >= gate.required_streak ? "ready" : "not yet";
}

/** The compared dates oldest first, as a chart reads them (the API lists the newest first). */
export function oldestFirst(parity: ParityDay[]): ParityDay[] {
  return [...parity].sort((a, b) => a.business_date.localeCompare(b.business_date));
}
