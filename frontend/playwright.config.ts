import { defineConfig } from "@playwright/test";
import path from "node:path";

// Run by tests/browser (pytest), which starts the local stack and passes its address and the
// logins by environment. Debian's Chromium, never a downloaded browser.
const output = process.env.IOR_TEST_OUTPUT ?? path.resolve(import.meta.dirname, "..", "test-output");

export default defineConfig({
  testDir: "e2e",
  outputDir: path.join(output, "playwright"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The operator spec is one scenario of many steps, each page checked by axe.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  // Every journey at the analysts' desk size; the ones tagged @phone again at a phone's size.
  projects: [
    { name: "desktop", use: { viewport: { width: 1440, height: 900 } } },
    {
      name: "phone",
      grep: /@phone/,
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    },
  ],
  use: {
    baseURL: process.env.IOR_BASE_URL ?? "http://127.0.0.1:8000",
    headless: true,
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.IOR_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
  },
});
