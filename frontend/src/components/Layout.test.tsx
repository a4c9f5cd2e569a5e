import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, fakeApi, operator, renderAt } from "../test/render";
import { Layout } from "./Layout";
import { RequireAdmin } from "./RequireAdmin";

afterEach(() => vi.unstubAllGlobals());

describe("admin pages", () => {
  it("are not offered to an operator, who still reads the cutover gate", async () => {
    fakeApi({}, operator);
    renderAt(<Layout />);
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await within(nav).findByRole("link", { name: "Uploads" });
    await screen.findByText("olga");
    expect(within(nav).queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Cutover" })).toBeInTheDocument();
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

describe("the main navigation on a narrow screen", () => {
  it("folds behind a menu button that says whether it is open and which navigation it controls", async () => {
    // GIVEN the layout, WHEN nothing is pressed yet
    fakeApi({}, operator);
    renderAt(<Layout />);
    const menu = await screen.findByRole("button", { name: "Menu" });
    const nav = screen.getByRole("navigation", { name: "Main" });
    // THEN the menu is closed and points at the main navigation
    expect(menu).toHaveAttribute("aria-expanded", "false");
    expect(menu).toHaveAttribute("aria-controls", nav.id);
    expect(nav).not.toHaveClass("open");
    // WHEN it is pressed THEN the navigation opens
    await userEvent.click(menu);
    expect(menu).toHaveAttribute("aria-expanded", "true");
    expect(nav).toHaveClass("open");
    // WHEN a page is chosen THEN the menu folds again
    await userEvent.click(within(nav).getByRole("link", { name: "Alerts" }));
    expect(menu).toHaveAttribute("aria-expanded", "false");
    expect(nav).not.toHaveClass("open");
  });
});
