import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeApi, operator, renderAt } from "../test/render";
import { UploadsPage } from "./UploadsPage";

afterEach(() => vi.unstubAllGlobals());

const rates = new File(["Currency,Date,USD per Unit\r\nCNY,02/16/2026,abc\r\n"], "Exchange_Rates.csv", {
  type: "text/csv",
});
const products = new File(["Material\r\n"], "Product_List.csv", { type: "text/csv" });

// The API's answer to GET /api/uploads/formats, as far as these tests need it.
const FORMATS = {
  encoding: "UTF-8 with a byte-order mark",
  line_ending: "CRLF",
  separator: ",",
  rules: ["UTF-8 with a byte-order mark (EF BB BF) at the very start", "dates as MM/DD/YYYY"],
  max_direct_bytes: 6 * 1024 * 1024,
  files: [
    { filename: "Product_List.csv", kind: "product_list", header: ["Material", "Description"] },
    { filename: "Exchange_Rates.csv", kind: "exchange_rates", header: ["Currency", "Date", "USD per Unit"] },
  ],
};

function api(routes: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({ "GET /api/uploads/formats": { body: FORMATS }, "GET /api/uploads": { body: [] }, ...routes }, operator);
}

describe("the uploads page", () => {
  it("says what the pinned formats require, from the API", async () => {
    api();
    renderAt(<UploadsPage />);

    const table = await screen.findByRole("table", { name: "The accepted file names and their header rows" });
    expect(within(table).getAllByRole("row")[2]).toHaveTextContent("Exchange_Rates.csvCurrency,Date,USD per Unit");
    expect(screen.getByText("UTF-8 with a byte-order mark")).toBeInTheDocument();
    expect(screen.getByText("CRLF")).toBeInTheDocument();
    expect(screen.getByText("dates as MM/DD/YYYY")).toBeInTheDocument();
  });

  it("refuses a file whose name the API does not accept, before sending anything", async () => {
    // GIVEN the API accepts Product_List.csv and Exchange_Rates.csv
    const calls = api();
    renderAt(<UploadsPage />);
    await screen.findByRole("table", { name: "The accepted file names and their header rows" });

    // WHEN a wrongly named file is chosen beside a good one
    const wrong = new File(["x"], "exchange_rates.csv", { type: "text/csv" });
    await userEvent.upload(screen.getByLabelText("CSV files"), [products, wrong]);

    // THEN the page says which and why, and nothing can be sent
    expect(screen.getByRole("alert")).toHaveTextContent("Not sent: exchange_rates.csv is not named as a legacy file.");
    expect(screen.getByText("the name must be exactly Exchange_Rates.csv (case matters)")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Upload" })).toBeDisabled();
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("counts every problem of a refused file by kind and lists the first ones", async () => {
    // GIVEN the API refuses a file with 250 problems, of which it lists 2
    const calls = api({
      "POST /api/uploads": {
        status: 422,
        body: {
          detail: "250 problem(s); nothing was stored",
          errors: [
            { file: "Exchange_Rates.csv", row: 2, column: "USD per Unit", rule: "malformed_rate", message: "'abc' is not a number" },
            { file: "Exchange_Rates.csv", row: 3, column: "Date", rule: "invalid_date", message: "'x' is not a date" },
          ],
          summary: [
            {
              file: "Exchange_Rates.csv",
              problems: 250,
              by_rule: { invalid_date: 10, malformed_rate: 240 },
              by_column: { "USD per Unit": 240, Date: 10 },
              stopped_at_row: null,
              listed: 2,
            },
          ],
        },
      },
    });
    renderAt(<UploadsPage />);
    await screen.findByRole("table", { name: "The accepted file names and their header rows" });

    // WHEN the bundle is sent
    await userEvent.upload(screen.getByLabelText("CSV files"), [rates, products]);
    await userEvent.click(screen.getByRole("button", { name: "Upload" }));

    // THEN the file shows its count, its kinds most frequent first, the listed ones and how many more there are
    expect(await screen.findByRole("alert")).toHaveTextContent("The upload was refused (HTTP 422)");
    const [ratesItem, productsItem] = within(screen.getByRole("list", { name: "Selected files" })).getAllByRole("listitem");
    expect(within(ratesItem!).getByText("250 problem(s) in Exchange_Rates.csv")).toBeInTheDocument();
    const kinds = within(ratesItem!).getByRole("list", { name: "Problems in Exchange_Rates.csv by kind" });
    expect(within(kinds).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "malformed_rate: 240",
      "invalid_date: 10",
    ]);
    const listed = within(ratesItem!).getByRole("table", { name: "The first 2 of 250 problem(s) in Exchange_Rates.csv" });
    expect(within(listed).getAllByRole("row")[1]).toHaveTextContent("2USD per Unitmalformed_rate'abc' is not a number");
    expect(within(ratesItem!).getByText(/248 more problem\(s\) not listed/)).toBeInTheDocument();
    expect(within(productsItem!).queryByRole("table")).not.toBeInTheDocument();

    const sent = calls.find((c) => c.method === "POST" && c.url.pathname === "/api/uploads");
    const form = sent?.init.body as FormData;
    expect(form.getAll("files").map((f) => (f as File).name)).toEqual(["Exchange_Rates.csv", "Product_List.csv"]);
  });

  it("confirms an accepted upload and shows the ETL's outcome in the history", async () => {
    // GIVEN the API accepts the upload, and its history then lists it with the dataset the ETL published
    let uploaded = false;
    api({
      "POST /api/uploads": () => {
        uploaded = true;
        return {
          status: 202,
          body: {
            upload_id: "ab12cd34ef56ab12",
            event_id: "e-1",
            business_date: "2026-03-30",
            files: [{ filename: "Product_List.csv", kind: "product_list", rows: 73, sha256: "x" }],
          },
        };
      },
      "GET /api/uploads": () => ({
        body: uploaded
          ? [
              {
                upload_id: "ab12cd34ef56ab12",
                event_id: "e-1",
                uploaded_at: "2026-03-30T09:15:00Z",
                uploaded_by: "olga",
                business_date: "2026-03-30",
                files: [{ filename: "Product_List.csv", kind: "product_list", rows: 73 }],
                outcomes: [
                  {
                    dataset: "product-master",
                    status: "published",
                    at: "2026-03-30T09:15:04Z",
                    version: "3f1c9a7e52d04b8a",
                    rows: 73,
                    rejected_rows: 0,
                    detail: "version 3f1c9a7e52d04b8a published: 73 row(s), 0 quarantined",
                  },
                ],
              },
            ]
          : [],
      }),
    });
    renderAt(<UploadsPage />);
    expect(await screen.findByText(/No upload has been accepted yet/)).toBeInTheDocument();

    // WHEN a correct file is uploaded
    await userEvent.upload(screen.getByLabelText("CSV files"), [products]);
    await userEvent.type(screen.getByLabelText("Business date (optional)"), "2026-03-30");
    await userEvent.click(screen.getByRole("button", { name: "Upload" }));

    // THEN it is confirmed, and the history shows the upload with what the ETL made of it
    expect(await screen.findByText(/Accepted upload/)).toHaveTextContent("Accepted upload ab12cd34ef56: the ETL is processing it");
    expect(screen.getByText("product_list, 73 rows")).toBeInTheDocument();
    const history = await screen.findByRole("table", { name: "The latest 1 accepted upload(s), newest first" });
    const row = within(history).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("2026-03-30 09:15 UTC");
    expect(row).toHaveTextContent("product-master published");
    expect(row).toHaveTextContent("version 3f1c9a7e52d04b8a published: 73 row(s), 0 quarantined");
    expect(within(row).queryByText("processing")).not.toBeInTheDocument();
  });
});
