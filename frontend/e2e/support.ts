import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through pytest tests/browser`);
  return value;
}

const screenshots = path.join(
  process.env.IOR_TEST_OUTPUT ?? path.resolve(import.meta.dirname, "..", "..", "test-output"),
  "screenshots",
);

/** Axe on the page as it is now: no serious or critical violation, with each one listed if found. */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = blocking.map(
    (v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n  ")}`,
  );
  expect(described, `accessibility of ${name}`).toEqual([]);
}

/** A full-page screenshot under test-output/screenshots, for a person to look at; a phone's are
 * named for it, beside the desktop's. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  const size = test.info().project.name === "phone" ? "-phone" : "";
  await page.screenshot({ path: path.join(screenshots, `${name}${size}.png`), fullPage });
}

/** Whether this run is the phone-sized one (the navigation collapses behind a menu button). */
export function onPhone(): boolean {
  return test.info().project.name === "phone";
}

/** Check and record a page once its content has loaded. */
export async function review(page: Page, name: string, options = { fullPage: true }): Promise<void> {
  await expect(page.getByText(/^Loading /)).toHaveCount(0);
  await checkAccessibility(page, name);
  await screenshot(page, name, options.fullPage);
}

export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  // On a phone the navigation is folded behind the menu button until it is pressed.
  const landmark = onPhone() ? page.getByRole("button", { name: "Menu" }) : page.getByRole("navigation", { name: "Main" });
  await expect(landmark).toBeVisible();
}

/** Follow a link of the main navigation; on a phone through the menu button, which folds again after. */
export async function goTo(page: Page, label: string): Promise<void> {
  if (onPhone()) {
    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
  if (onPhone()) await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
}

/** Nothing on the page is wider than the window: a phone never scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  // Against the layout's width, not innerWidth: a mobile browser zooms out to fit wide content, and
  // innerWidth grows with it.
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
  }));
  expect(widths.page, `sideways scrolling on ${where}`).toBeLessThanOrEqual(widths.window);
}
