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

describe("the uploads page", () => {
  it("shows each row and column error next to its file", async () => {
    const calls = fakeApi(
      {
        "POST /api/uploads": {
          status: 422,
          body: {
            detail: "1 problem(s); nothing was stored",
            errors: [
              {
                file: "Exchange_Rates.csv",
                row: 3,
                column: "USD per Unit",
                rule: "malformed_rate",
                message: "'abc' is not a number",
              },
            ],
          },
        },
      },
      operator,
    );
    renderAt(<UploadsPage />);
    await userEvent.upload(screen.getByLabelText("CSV files"), [rates, products]);
    await userEvent.click(screen.getByRole("button", { name: "Upload" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The upload was refused (HTTP 422)");
    const [ratesItem, productsItem] = within(screen.getByRole("list", { name: "Selected files" })).getAllByRole("listitem");
    const problems = within(ratesItem!).getByRole("table", { name: "1 problem(s) in Exchange_Rates.csv" });
    expect(within(problems).getAllByRole("row")[1]).toHaveTextContent("3USD per Unitmalformed_rate'abc' is not a number");
    expect(within(productsItem!).queryByRole("table")).not.toBeInTheDocument();

    const sent = calls.find((c) => c.url.pathname === "/api/uploads");
    const form = sent?.init.body as FormData;
    expect(form.getAll("files").map((f) => (f as File).name)).toEqual(["Exchange_Rates.csv", "Product_List.csv"]);
  });

  it("confirms an accepted upload with each file's rows", async () => {
    fakeApi(
      {
        "POST /api/uploads": {
          status: 202,
          body: {
            upload_id: "ab12cd34ef56ab12",
            event_id: "e-1",
            business_date: "2026-03-30",
            files: [{ filename: "Product_List.csv", kind: "product_list", rows: 73, sha256: "x" }],
          },
        },
      },
      operator,
    );
    renderAt(<UploadsPage />);
    await userEvent.upload(screen.getByLabelText("CSV files"), [products]);
    await userEvent.type(screen.getByLabelText("Business date (optional)"), "2026-03-30");
    await userEvent.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Accepted upload ab12cd34ef56");
    expect(screen.getByText("product_list, 73 rows")).toBeInTheDocument();
  });
});
