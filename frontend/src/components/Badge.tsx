import type { ReactNode } from "react";

export type Tone = "good" | "bad" | "warn" | "neutral" | "info";

/** A status word with a colour; the word alone carries the meaning, the colour only repeats it. */
export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function OutcomeBadge({ status }: { status: "requested" | "passed" | "failed" }) {
  const tone: Tone = status === "passed" ? "good" : status === "failed" ? "bad" : "neutral";
  return <Badge tone={tone}>{status === "requested" ? "pending" : status}</Badge>;
}

export function OfficialBadge({ official }: { official: boolean }) {
  return <Badge tone={official ? "good" : "info"}>{official ? "official" : "shadow"}</Badge>;
}
