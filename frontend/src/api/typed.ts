// The API client generated from its OpenAPI (`schema.d.ts`, made by `npm run api:types` from the
// committed `openapi.json`): paths, parameters and answers typed by the API's own description. Every
// call still goes through `request`, so the session cookie, the CSRF header and `ApiError` are the same.
import createClient from "openapi-fetch";
import { request } from "./client";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export const typed = createClient<paths>({
  // openapi-fetch builds absolute requests; the dashboard is served by the API, on the same origin.
  baseUrl: globalThis.location?.origin ?? "http://localhost",
  fetch: async (outgoing: Request) => {
    const url = new URL(outgoing.url);
    const text = SAFE.has(outgoing.method) ? "" : await outgoing.text();
    return request(url.pathname + url.search, {
      method: outgoing.method,
      json: text ? JSON.parse(text) : undefined,
    });
  },
});

/** The answer's body; `request` has already turned any other status into an `ApiError`. */
export function body<T>(answer: { data?: T }): T {
  if (answer.data === undefined) throw new Error("the API answered without a body");
  return answer.data;
}
