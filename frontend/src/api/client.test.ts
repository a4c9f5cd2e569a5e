import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, CSRF_HEADER, rememberCsrf, request } from "./client";

function stubFetch(status = 200, body: unknown = {}) {
  const fetchMock = vi.fn(async () => new Response(status === 204 ? null : JSON.stringify(body), { status }));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

function headersOf(fetchMock: ReturnType<typeof stubFetch>, call = 0): Record<string, string> {
  const init = fetchMock.mock.calls[call] as unknown as [string, RequestInit];
  return init[1].headers as Record<string, string>;
}

afterEach(() => {
  rememberCsrf(null);
  document.cookie = "ior_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
  vi.unstubAllGlobals();
});

describe("the API client", () => {
  it("sends the session cookie and the CSRF token on state-changing requests only", async () => {
    const fetchMock = stubFetch();
    rememberCsrf("token-1");
    await request("/api/alerts");
    await request("/api/compare", { method: "POST", json: { business_date: "2026-03-30", reason: "check" } });
    const [, getInit] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(getInit.credentials).toBe("same-origin");
    expect(headersOf(fetchMock, 0)[CSRF_HEADER]).toBeUndefined();
    expect(headersOf(fetchMock, 1)[CSRF_HEADER]).toBe("token-1");
  });

  it("reads the CSRF token from its cookie after a reload", async () => {
    const fetchMock = stubFetch(204);
    document.cookie = "ior_csrf=from-cookie; path=/";
    await request("/api/auth/logout", { method: "POST" });
    expect(headersOf(fetchMock)[CSRF_HEADER]).toBe("from-cookie");
  });

  it("turns an error answer into an ApiError with the API's detail", async () => {
    stubFetch(423, { detail: "account locked until 10:15" });
    const error = await request("/api/auth/login", { method: "POST", json: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(423);
    expect((error as ApiError).locked).toBe(true);
    expect((error as ApiError).message).toBe("account locked until 10:15");
  });

  it("spells out FastAPI's validation errors", async () => {
    stubFetch(422, { detail: [{ loc: ["body", "reason"], msg: "Field required" }] });
    const error = (await request("/api/compare", { method: "POST", json: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe("reason: Field required");
  });
});
