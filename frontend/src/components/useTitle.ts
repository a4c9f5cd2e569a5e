import { useEffect } from "react";

/** The browser tab names the page (and what it shows): "Comparison 2026-03-31 · IOR dashboard". */
export function useTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · IOR dashboard`;
  }, [page]);
}
