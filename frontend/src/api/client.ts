// The one way the dashboard talks to the API: same-origin fetch with the session cookie, and the CSRF
// token echoed in a header on every state-changing request (double submit).

export const CSRF_HEADER = "X-CSRF-Token";
const CSRF_COOKIE = "ior_csrf";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** An answer other than 2xx, with the API's `detail` and, for format errors, its `errors`. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, message: string, body: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }

  get locked(): boolean {
    return this.status === 423;
  }

  get unauthenticated(): boolean {
    return this.status === 401;
  }
}

let csrfToken: string | null = null;

/** The token from the login answer; the `ior_csrf` cookie carries it across page reloads. */
export function rememberCsrf(token: string | null): void {
  csrfToken = token;
}

export function currentCsrf(): string | null {
  if (csrfToken) return csrfToken;
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : null;
}

function detailOf(body: unknown, fallback: string): string {
  if (body && typeof body === "object" && "detail" in body) {
    const detail = (body as { detail: unknown }).detail;
    if (typeof detail === "string") return detail;
    // FastAPI's validation errors: a list of {loc, msg}.
    if (Array.isArray(detail)) {
      return detail
        .map((d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).slice(1).join(".") || "request"}: ${d.msg ?? ""}`)
        .join("; ");
    }
  }
  return fallback;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  form?: FormData;
  accept?: string;
  signal?: AbortSignal;
}

export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? (options.json !== undefined || options.form ? "POST" : "GET");
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  if (!SAFE.has(method)) {
    const token = currentCsrf();
    if (token) headers[CSRF_HEADER] = token;
  }
  const response = await fetch(path, { method, headers, body, credentials: "same-origin", signal: options.signal });
  if (!response.ok) {
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's page): keep the text.
    }
    throw new ApiError(response.status, detailOf(parsed, `${response.status} ${response.statusText}`), parsed);
  }
  return response;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
