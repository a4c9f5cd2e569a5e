import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { env, expectNoSidewaysScroll, goTo, logIn, review } from "./support";

// The analyst's lines at the desk and (tagged @phone) on a phone: a date's lines searched on the
// server, the search kept in the address, the export of exactly what was searched, and a material
// number (as SAP pads it) finding the lines of its invoice items.
const operator = { username: env("IOR_OPERATOR_USER"), password: env("IOR_OPERATOR_PASSWORD") };
const failingDate = env("IOR_FAILING_DATE");
const disagreementEntry = env("IOR_DISAGREEMENT_ENTRY");

test("an analyst searches a date's lines, keeps the search in the address and exports it @phone", async ({ page }) => {
  const crashes: string[] = [];
  page.on("pageerror", (error) => crashes.push(error.message));
  await logIn(page, operator.username, operator.password);
  await goTo(page, "Customs lines");
  await expect(page.getByRole("heading", { level: 1, name: "Customs lines" })).toBeVisible();

  await page.getByLabel("Business date", { exact: true }).fill(failingDate);
  await page.getByRole("searchbox", { name: "Search" }).fill(disagreementEntry);
  await page.getByRole("button", { name: "Show lines" }).click();
  await expect(page).toHaveURL(new RegExp(`date=${failingDate}.*q=|q=.*date=${failingDate}`));
  const lines = page.getByRole("table", { name: /^Lines \d+–\d+ of \d+$/ });
  await expect(lines.locator("tbody tr td:first-child").first()).toHaveText(disagreementEntry);
  await expect(page.getByRole("region", { name: "Totals of the lines matching the filters" })).toContainText(
    "lines in 1 entries",
  );

  // The address alone brings the same search back.
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(disagreementEntry);
  await expect(lines.locator("tbody tr td:first-child").first()).toHaveText(disagreementEntry);
  await expectNoSidewaysScroll(page, "the searched lines");
  await review(page, "25-lines-searched");

  // The export is the search's lines, every one of the searched entry.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const [header = "", ...rows] = readFileSync(await (await download).path(), "utf-8").trim().split("\r\n");
  // The entry is the first column (later ones may hold quoted commas).
  expect(header.startsWith("entry_id,")).toBe(true);
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((row) => row.split(",")[0]))).toEqual(new Set([disagreementEntry]));

  // A material of one of the entry's invoice items, searched as SAP writes it: zero-padded to 18 digits.
  await lines.getByRole("button", { name: /^Lineage/ }).first().click();
  const items = page.getByRole("dialog").getByText(/^billing document \d+, item \d+, material \S+$/);
  await expect(items.first()).toBeVisible();
  const material = ((await items.first().textContent()) ?? "").replace(/^.*, material /, "");
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  const padded = /^\d+$/.test(material) ? material.padStart(18, "0") : material;
  await page.getByRole("searchbox", { name: "Search" }).fill(padded);
  await page.getByRole("button", { name: "Show lines" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${padded}`));
  // The server's answer: some lines, each of them with that material among its invoice items'.
  const searched = (await (
    await page.request.get(`/api/customs-lines?date=${failingDate}&q=${padded}`)
  ).json()) as { total: number; lines: { entry_id: string; materials: string[] }[] };
  expect(searched.total).toBeGreaterThan(0);
  expect(searched.lines.filter((line) => !line.materials.includes(material))).toEqual([]);
  const byMaterial = page.getByRole("table", { name: new RegExp(`^Lines \\d+–\\d+ of ${searched.total}$`) });
  await expect(byMaterial.locator("tbody tr td:first-child").first()).toHaveText(searched.lines[0]!.entry_id);
  await byMaterial.getByRole("button", { name: /^Lineage/ }).first().click();
  const found = page.getByRole("dialog");
  await expect(found.getByText(`, material ${material}`, { exact: false }).first()).toBeVisible();
  await expectNoSidewaysScroll(page, "a line found by its material");
  await review(page, "25b-lines-by-material", { fullPage: false });
  await found.getByRole("button", { name: "Close" }).click();
  expect(crashes, "uncaught errors in the page").toEqual([]);
});
