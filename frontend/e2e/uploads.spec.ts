import { expect, test } from "@playwright/test";
import { env, logIn, onPhone, review } from "./support";

// The manual fallback as an operator meets it: what the files must be, a misnamed file refused
// before sending, a bad CSV's problems counted, a correct one accepted and what the ETL made of it.
const operator = { username: env("IOR_OPERATOR_USER"), password: env("IOR_OPERATOR_PASSWORD") };
const badCsv = env("IOR_BAD_CSV");
const goodCsv = env("IOR_GOOD_CSV");

test("an operator's uploads: the pinned formats, a refused upload and an accepted one in the history @phone", async ({
  page,
}) => {
  const crashes: string[] = [];
  page.on("pageerror", (error) => crashes.push(error.message));
  await logIn(page, operator.username, operator.password);
  // By address: on a phone the main navigation may be behind a menu.
  await page.goto("/uploads");
  await expect(page).toHaveTitle(/Uploads/);

  await test.step("the page says what the pinned formats require, from the API", async () => {
    // The names shown are the API's own: the page holds no list of them.
    const pinned = (await (await page.request.get("/api/uploads/formats")).json()) as {
      files: { filename: string; header: string[] }[];
    };
    expect(pinned.files.map((f) => f.filename)).toContain("Exchange_Rates.csv");
    const formats = page.getByRole("table", { name: "The accepted file names and their header rows" });
    await expect(formats.getByRole("rowheader")).toHaveText(pinned.files.map((f) => f.filename));
    for (const file of pinned.files) {
      await expect(formats.getByRole("row").filter({ hasText: file.filename })).toContainText(file.header.join(","));
    }
    await expect(page.getByText("UTF-8 with a byte-order mark", { exact: true })).toBeVisible();
    await expect(page.getByText("CRLF", { exact: true })).toBeVisible();
    await review(page, "30-upload-formats");
  });

  await test.step("a wrongly named file is refused before anything is sent", async () => {
    const posted: string[] = [];
    const watch = (request: { method(): string; url(): string }) => {
      if (request.method() === "POST") posted.push(request.url());
    };
    page.on("request", watch);
    await page.getByLabel("CSV files").setInputFiles({
      name: "exchange_rates.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("\ufeffCurrency,Date,USD per Unit\r\nEUR,03/16/2026,1.0874\r\n"),
    });
    await expect(page.getByRole("alert")).toContainText("Not sent: exchange_rates.csv is not named as a legacy file.");
    await expect(page.getByText("the name must be exactly Exchange_Rates.csv (case matters)")).toBeVisible();
    await expect(page.getByRole("button", { name: "Upload" })).toBeDisabled();
    await review(page, "31-upload-misnamed");
    page.off("request", watch);
    expect(posted, "requests sent for a misnamed file").toEqual([]);
  });

  await test.step("a CSV with a bad row is refused, its problems counted by kind next to the file", async () => {
    await page.getByLabel("CSV files").setInputFiles(badCsv);
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByRole("alert")).toContainText("The upload was refused (HTTP 422)");
    const file = page.getByRole("list", { name: "Selected files" }).getByRole("listitem");
    await expect(file.getByText("1 problem(s) in Exchange_Rates.csv", { exact: true })).toBeVisible();
    const kinds = file.getByRole("list", { name: "Problems in Exchange_Rates.csv by kind" });
    await expect(kinds.getByRole("listitem")).toHaveText([/^\S+: 1$/]);
    const problems = file.getByRole("table", { name: "All 1 problem(s) in Exchange_Rates.csv" });
    await expect(problems.getByRole("row").nth(1)).toContainText("3");
    await expect(problems.getByRole("row").nth(1)).toContainText("USD per Unit");
    await review(page, "32-upload-refused");
  });

  await test.step("a correct legacy CSV is accepted, and the history shows what the ETL made of it", async () => {
    await page.getByLabel("CSV files").setInputFiles(goodCsv);
    // A phone's run is a second upload of the same file: its own date makes it an upload of its own,
    // and tells its row from the desk run's.
    const businessDate = onPhone() ? "2026-03-31" : null;
    if (businessDate) await page.getByLabel("Business date (optional)").fill(businessDate);
    await page.getByRole("button", { name: "Upload" }).click();
    const accepted = page.getByRole("status").filter({ hasText: "Accepted upload" });
    await expect(accepted).toBeVisible();
    const uploadId = (await accepted.locator(".mono").textContent()) ?? "";
    expect(uploadId).toMatch(/^[0-9a-f]{12}$/);
    await expect(page.getByText("exchange_rates,", { exact: false })).toBeVisible();

    const history = page.getByRole("table", { name: /accepted upload\(s\), newest first$/ });
    const row = history
      .getByRole("row")
      .filter({ hasText: uploadId })
      .filter({ has: page.getByRole("cell", { name: businessDate ?? "—", exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(operator.username);
    // The ETL answers through the bus; the page reads the history again while it is processing.
    await expect(row.getByText(/^(published|confirmed)$/)).toBeVisible({ timeout: 60_000 });
    await expect(row).toContainText("exchange-rates");
    await expect(row.getByText("processing", { exact: true })).toHaveCount(0);
    if (onPhone()) {
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(sideways, "sideways scrolling on a phone").toBe(false);
    }
    await review(page, "33-upload-accepted");
  });

  expect(crashes, "uncaught errors in the page").toEqual([]);
});
