import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { vi } from "vitest";
import { SessionProvider } from "../auth/session";
import type { User } from "../api/types";

type Answer = { status?: number; body?: unknown; text?: string; contentType?: string };
type Handler = (url: URL, init: RequestInit) => Answer | undefined;

/** A fetch that answers from a table of `METHOD /path` → answer (or function), recording each call. */
export function fakeApi(routes: Record<string, Answer | Handler>, user: User | null) {
  const calls: { method: string; url: URL; init: RequestInit }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://dashboard.test");
    const method = init.method ?? "GET";
    calls.push({ method, url, init });
    let answer: Answer | undefined;
    if (method === "GET" && url.pathname === "/api/me") {
      answer = user ? { body: user } : { status: 401, body: { detail: "not authenticated" } };
    }
    const route = routes[`${method} ${url.pathname}`];
    if (!answer && route) answer = typeof route === "function" ? route(url, init) : route;
    answer ??= { status: 404, body: { detail: "Not Found" } };
    const text = answer.text ?? JSON.stringify(answer.body ?? null);
    return new Response(answer.status === 204 ? null : text, {
      status: answer.status ?? 200,
      headers: { "Content-Type": answer.contentType ?? "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

export const operator: User = { username: "olga", role: "operator", active: true };
export const admin: User = { username: "ada", role: "admin", active: true };

/** `ui` at `route` (matching `path`), with a fresh query cache and the session provider. */
export function renderAt(ui: ReactElement, { route = "/", path = "*" }: { route?: string; path?: string } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[route]}>
        <SessionProvider>
          <Routes>
            <Route path={path} element={ui} />
            <Route path="/login" element={<p>login page</p>} />
          </Routes>
        </SessionProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}
