import { expect, test } from "@playwright/test";
import { env, logIn, review } from "./support";

const admin = { username: env("IOR_ADMIN_USER"), password: env("IOR_ADMIN_PASSWORD") };

test("an admin sees the cutover gate, the users and the replay form", async ({ page }) => {
  const crashes: string[] = [];
  page.on("pageerror", (error) => crashes.push(error.message));

  await logIn(page, admin.username, admin.password);

  await page.getByRole("link", { name: "Cutover" }).click();
  await expect(page.getByText("Parity streak", { exact: true })).toBeVisible();
  // The streak and its requirement as the compare service announced them with its comparisons.
  await expect(page.getByText(/^\d+ day\(s\) of \d+ required$/)).toBeVisible();
  await expect(page.getByText(/^(ready|not yet)$/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Request cutover" })).toBeVisible();
  await review(page, "11-cutover");

  await page.getByRole("link", { name: "Users" }).click();
  const users = page.getByRole("table", { name: "Dashboard users" });
  await expect(users.getByRole("row", { name: new RegExp(env("IOR_OPERATOR_USER")) })).toBeVisible();
  await review(page, "12-users");

  await page.getByRole("link", { name: "Pipeline" }).click();
  await expect(page.getByRole("heading", { name: "Replay a stage" })).toBeVisible();
  await review(page, "13-pipeline-admin");

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  expect(crashes, "uncaught errors in the page").toEqual([]);
});
