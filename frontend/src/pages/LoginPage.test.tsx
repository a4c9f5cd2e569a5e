import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeApi, renderAt } from "../test/render";
import { LoginPage } from "./LoginPage";

afterEach(() => vi.unstubAllGlobals());

async function logIn(password: string) {
  renderAt(<LoginPage />, { route: "/login", path: "/login" });
  await userEvent.type(await screen.findByLabelText("Username"), "olga");
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Log in" }));
}

describe("the login page", () => {
  it("says the account is locked when the API answers 423", async () => {
    fakeApi({ "POST /api/auth/login": { status: 423, body: { detail: "account locked until 10:15 UTC" } } }, null);
    await logIn("whatever password");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This account is locked after too many failed attempts");
    expect(alert).toHaveTextContent("account locked until 10:15 UTC");
  });

  it("says the credentials are wrong on 401 and clears the password", async () => {
    fakeApi({ "POST /api/auth/login": { status: 401, body: { detail: "invalid username or password" } } }, null);
    await logIn("wrong password");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password.");
    expect(screen.getByLabelText("Password")).toHaveValue("");
  });

  it("sends the credentials as JSON", async () => {
    const calls = fakeApi(
      {
        "POST /api/auth/login": {
          body: { username: "olga", role: "operator", expires_at: "2026-03-30T10:00:00Z", csrf_token: "t" },
        },
      },
      null,
    );
    await logIn("right password");
    const login = calls.find((c) => c.url.pathname === "/api/auth/login");
    expect(JSON.parse(String(login?.init.body))).toEqual({ username: "olga", password: "right password" });
  });
});
