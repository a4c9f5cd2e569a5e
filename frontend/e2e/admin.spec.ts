import { expect, test } from "@playwright/test";
import { env, goTo, logIn, review } from "./support";

const admin = { username: env("IOR_ADMIN_USER"), password: env("IOR_ADMIN_PASSWORD") };

test("an admin sees the cutover gate, the users and the replay form", async ({ page }) => {
  const crashes: string[] = [];
  page.on("pageerror", (error) => crashes.push(error.message));

  await logIn(page, admin.username, admin.password);

  // The overview answers "is it healthy?", each check with its verdict.
  await goTo(page, "Overview");
  const health = page.getByRole("region", { name: /^Is it healthy\?/ });
  await expect(health.getByText("Fee table", { exact: true })).toBeVisible();
  await expect(health.getByText("HTS revision", { exact: true })).toBeVisible();
  await expect(page).toHaveTitle("Overview · IOR dashboard");
  await review(page, "10b-overview-health");

  await goTo(page, "Cutover");
  await expect(page.getByText("Parity streak", { exact: true })).toBeVisible();
  // The streak and its requirement as the compare service announced them with its comparisons.
  await expect(page.getByText(/^\d+ day\(s\) of \d+ required$/)).toBeVisible();
  await expect(page.getByText(/^(ready|not yet)$/)).toBeVisible();
  // Two failed days are far from the required streak: the request waits for force and a reason.
  await expect(page.getByRole("button", { name: "Request cutover…" })).toBeDisabled();
  await review(page, "11-cutover");

  await goTo(page, "Users");
  const users = page.getByRole("table", { name: "Dashboard users" });
  await expect(users.getByRole("row", { name: new RegExp(env("IOR_OPERATOR_USER")) })).toBeVisible();
  await review(page, "12-users");

  await goTo(page, "Pipeline");
  await expect(page.getByRole("heading", { name: "Replay a stage" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Reference data" }).getByText(/^In force:/)).toBeVisible();
  await review(page, "13-pipeline-admin");

  // A rate typed as a percentage is refused at once, the API's reason shown by the form (an accepted
  // notice would rebuild the fee table, and with it the stack's runs, under the other spec).
  await page.getByLabel("Fiscal year").fill("2031");
  await page.getByLabel("MPF rate (fraction)").fill("0.3464%");
  await page.getByLabel("MPF minimum (USD)").fill("35.00");
  await page.getByLabel("MPF maximum (USD)").fill("680.00");
  await page.getByLabel("HMF rate (fraction)").fill("0.00125");
  await page.getByLabel("Citation").fill("TEST ONLY - fictitious notice");
  await page.getByRole("button", { name: "Record notice" }).click();
  await expect(page.getByRole("alert")).toContainText("The notice was refused: mpf_rate");
  await review(page, "13b-fee-notice-refused");

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  expect(crashes, "uncaught errors in the page").toEqual([]);
});
