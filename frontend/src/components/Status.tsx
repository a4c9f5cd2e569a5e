import type { ReactNode } from "react";
import { ApiError } from "../api/client";

/** A failed request, said plainly, with what the API answered. */
export function ErrorMessage({ error, what }: { error: unknown; what: string }) {
  const detail = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? ` (HTTP ${error.status})` : "";
  return (
    <div role="alert" className="message message-error">
      Could not load {what}{status}: {detail}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="message message-info">
      {children}
    </div>
  );
}
