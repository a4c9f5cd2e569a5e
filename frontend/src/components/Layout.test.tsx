import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, fakeApi, operator, renderAt } from "../test/render";
import { Layout } from "./Layout";
import { RequireAdmin } from "./RequireAdmin";

afterEach(() => vi.unstubAllGlobals());

describe("admin pages", () => {
  it("are not offered to an operator", async () => {
    fakeApi({}, operator);
    renderAt(<Layout />);
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await within(nav).findByRole("link", { name: "Uploads" });
    await screen.findByText("olga");
    expect(within(nav).queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: "Cutover" })).not.toBeInTheDocument();
  });

  it("are offered to an admin", async () => {
    fakeApi({}, admin);
    renderAt(<Layout />);
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(await within(nav).findByRole("link", { name: "Users" })).toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Cutover" })).toBeInTheDocument();
  });

  it("tell an operator who follows a link that they need the admin role", async () => {
    fakeApi({}, operator);
    renderAt(
      <RequireAdmin>
        <p>secret controls</p>
      </RequireAdmin>,
    );
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeInTheDocument();
    expect(screen.queryByText("secret controls")).not.toBeInTheDocument();
  });
});
