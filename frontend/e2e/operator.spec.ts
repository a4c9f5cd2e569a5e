import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { env, logIn, review } from "./support";

// One operator's day, in order: the steps share the logged-in page.
test.describe.configure({ mode: "serial" });

const operator = { username: env("IOR_OPERATOR_USER"), password: env("IOR_OPERATOR_PASSWORD") };
const failingDate = env("IOR_FAILING_DATE");
const disagreementField = env("IOR_DISAGREEMENT_FIELD");
const disagreementEntry = env("IOR_DISAGREEMENT_ENTRY");
// The manual side's differing dataset cell as the explanation must cite it: "HTS_Code.csv row 14".
const disagreementCited = env("IOR_DISAGREEMENT_CITED");

test("an operator's session: lines, a failing comparison, no admin pages", async ({ page }) => {
  const crashes: string[] = [];
  page.on("pageerror", (error) => crashes.push(error.message));

  await test.step("a wrong password is refused with a clear message", async () => {
    await page.goto("/lines");
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel("Username").fill(operator.username);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert")).toHaveText("Wrong username or password.");
    await review(page, "01-login-error");
  });

  await test.step("log in as the operator", async () => {
    await logIn(page, operator.username, operator.password);
    // Back where the login began.
    await expect(page).toHaveURL(/\/lines$/);
    await page.getByRole("link", { name: "Overview" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(page.locator("figure.chart")).toBeVisible();
    await review(page, "02-overview");
  });

  await test.step("the sample company's lines for a date, with a line's lineage", async () => {
    await page.getByRole("link", { name: "Customs lines" }).click();
    // The page is loaded on demand: wait for it, or the overview's chart ("… per business date.")
    // is still what a label search finds.
    await expect(page.getByRole("heading", { level: 1, name: "Customs lines" })).toBeVisible();
    await page.getByLabel("Business date", { exact: true }).fill(failingDate);
    await page.getByRole("button", { name: "Show lines" }).click();
    await expect(page).toHaveURL(new RegExp(`date=${failingDate}`));
    const lines = page.getByRole("table", { name: /^Lines \d+–\d+ of \d+$/ });
    await expect(lines.getByRole("row")).not.toHaveCount(1);
    await expect(page.getByLabel("Run totals").getByText(/^(official|shadow)$/)).toBeVisible();
    await review(page, "03-lines");

    await lines.getByRole("button", { name: /^Lineage/ }).first().click();
    const drawer = page.getByRole("dialog");
    await expect(drawer.getByRole("heading", { name: "Invoice items" })).toBeVisible();
    await expect(drawer.getByText(/^billing document \d+, item \d+, material \S+$/).first()).toBeVisible();
    await expect(drawer.getByText("product-master")).toBeVisible();
    await review(page, "04-line-lineage", { fullPage: false });
    await drawer.getByRole("button", { name: "Close" }).click();
    await expect(drawer).toHaveCount(0);

    const entries = page.getByRole("table", { name: /^Entries of the lines on this page/ });
    await expect(entries.getByRole("columnheader", { name: /^MPF/ })).toBeVisible();
    await expect(entries.getByText(/^(formal|informal)$/).first()).toBeVisible();
    await entries.locator("tbody tr").first().getByRole("button").click();
    const entry = page.getByRole("dialog", { name: /^Entry / });
    await expect(entry.getByText(/^(formal|informal)$/)).toBeVisible();
    await expect(entry.getByText("MPF", { exact: true })).toBeVisible();
    await review(page, "04b-entry", { fullPage: false });
    await entry.getByRole("button", { name: "Close" }).click();

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const csv = await download;
    expect(csv.suggestedFilename()).toMatch(new RegExp(`^customs-lines-${failingDate}-(manual|automated)\\.csv$`));
    const header = readFileSync(await csv.path(), "utf-8").split("\r\n")[0];
    expect(header).toContain("rates,duties,duty,entry_mpf,entry_hmf,sources,materials,datasets,provisions");

    await page.getByRole("textbox", { name: "HTS", exact: true }).fill("8473");
    await page.getByRole("button", { name: "Show lines" }).click();
    await expect(page).toHaveURL(/hts=8473/);
    const hts = page.getByRole("table", { name: /^Lines / }).locator("tbody tr td:nth-child(3)");
    await expect(hts.first()).toContainText("8473");
  });

  await test.step("lines searched, sorted and paged on the server, the address keeping it all", async () => {
    await page.getByRole("textbox", { name: "HTS", exact: true }).fill("");
    await page.getByRole("searchbox", { name: "Search" }).fill(disagreementEntry);
    await page.getByLabel("Lines per page").selectOption("25");
    await page.getByRole("button", { name: "Show lines" }).click();
    await expect(page).toHaveURL(/q=.*page_size=25|page_size=25.*q=/);
    const lines = page.getByRole("table", { name: /^Lines / });
    await expect(lines.locator("tbody tr td:first-child").first()).toHaveText(disagreementEntry);
    await lines.getByRole("button", { name: /^Value/ }).click();
    await expect(page).toHaveURL(/sort=value/);
    await expect(page.getByRole("region", { name: "Totals of the lines matching the filters" })).toContainText("lines in 1 entries");
    await page.reload();
    await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(disagreementEntry);
    await review(page, "03b-lines-searched");
  });

  await test.step("a failing comparison shows the injected disagreement", async () => {
    await page.getByRole("link", { name: "Comparisons" }).click();
    const list = page.getByRole("table", { name: /^Comparisons/ });
    const row = list.getByRole("row").filter({ hasText: failingDate });
    await expect(row.getByText("failed")).toBeVisible();
    await review(page, "05-comparisons");

    await row.getByRole("link").click();
    await expect(page.getByRole("heading", { name: new RegExp(`Comparison of ${failingDate}`) })).toBeVisible();
    const report = page.getByRole("link", { name: "Open the immutable HTML report" });
    const html = await page.request.get((await report.getAttribute("href")) ?? "");
    expect(html.status()).toBe(200);
    expect(html.headers()["content-type"]).toContain("text/html");
    await page.getByLabel("Field").selectOption(disagreementField);
    const table = page.getByRole("table", { name: /^Discrepancies of/ });
    await expect(table.locator("tbody tr").first()).toContainText(disagreementField);
    await expect(table.locator("tbody tr").first()).toContainText("critical");
    // With the per-line mismatches, the disagreement's own entry is among the rows.
    if ((await table.getByRole("columnheader", { name: "Entry" }).count()) > 0) {
      await expect(table.getByRole("row").filter({ hasText: disagreementEntry })).not.toHaveCount(0);
    }
    await review(page, "06-comparison-report");
  });

  await test.step("the failing comparison's discrepancy opens side by side with its cause, by URL", async () => {
    const explained = page.getByRole("table", { name: /^Explained discrepancies of/ });
    const row = explained.getByRole("row").filter({ hasText: disagreementEntry }).first();
    const explain = row.getByRole("link", { name: /^Explain discrepancy/ });
    await explain.click();
    await expect(page).toHaveURL(new RegExp(`field=${disagreementField}.*d=|d=.*field=${disagreementField}`));
    const drawer = page.getByRole("dialog", { name: new RegExp(`entry ${disagreementEntry}`) });
    const fields = drawer.getByRole("table", { name: "Every compared field, differing ones marked" });
    await expect(fields.getByRole("row").filter({ hasText: disagreementField }).first()).toContainText("differs");
    await expect(drawer.getByRole("heading", { name: "Manual (expected)" })).toBeVisible();
    await expect(drawer.getByRole("heading", { name: "The cause in the inputs" })).toBeVisible();
    // Each side's cell cited by the file (or SAP table) and row the ETL read it from.
    const causes = drawer.getByRole("list").filter({ hasText: disagreementCited });
    const cited = disagreementCited.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    await expect(causes).toContainText(new RegExp(`manual [^(]*\\(${cited},`));
    await expect(causes).toContainText(/vs automated [^(]*\(Z[A-Z0-9]+ row \d+,/);
    await review(page, "06b-comparison-explained");

    // The selected discrepancy survives a reload: the URL can be shared.
    await page.reload();
    await expect(page.getByRole("dialog", { name: new RegExp(`entry ${disagreementEntry}`) })).toBeVisible();
    await page.setViewportSize({ width: 390, height: 844 });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways, "sideways scrolling on a phone").toBe(false);
    await review(page, "06c-comparison-explained-phone");
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await expect(page).not.toHaveURL(/[?&]d=/);
    await expect(page.getByRole("dialog")).toHaveCount(0);
  });

  await test.step("the pipeline and the alerts", async () => {
    await page.getByRole("link", { name: "Pipeline" }).click();
    await expect(page.getByRole("heading", { name: "Pipeline" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Replay a stage" })).toHaveCount(0);
    await review(page, "07-pipeline");

    await page.getByRole("link", { name: "Alerts" }).click();
    const feed = page.getByRole("list", { name: "Alerts, newest first" });
    await expect(feed.getByText(`Comparison of ${failingDate} failed`, { exact: false })).toBeVisible();
    await review(page, "08-alerts");
  });

  await test.step("an operator cannot reach the admin pages", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
    await page.goto("/users");
    await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
    await review(page, "10-admin-page-refused");
    // The server refuses too, whatever the page shows.
    expect((await page.request.get("/api/users")).status()).toBe(403);
  });

  await test.step("log out", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.request.get("/api/me")).status()).toBe(401);
    await page.goto("/alerts");
    await expect(page).toHaveURL(/\/login$/);
  });

  expect(crashes, "uncaught errors in the page").toEqual([]);
});
