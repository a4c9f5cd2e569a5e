import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, keys } from "../../api/endpoints";
import { FormResult } from "../../components/FormResult";

/** An admin records a fiscal year's MPF and HMF figures with the notice cited; the fee table's answer
 * (taken, or refused with its reason) shows above once the notice has landed. */
export function FeeNoticeForm() {
  const client = useQueryClient();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    try {
      const accepted = await api.feeNotice({
        fiscal_year: Number(text("fiscal_year")),
        mpf_rate: text("mpf_rate"),
        mpf_minimum: text("mpf_minimum"),
        mpf_maximum: text("mpf_maximum"),
        hmf_rate: text("hmf_rate"),
        citation: text("citation"),
        ...(text("effective_from") ? { effective_from: text("effective_from") } : {}),
      });
      setResult({ ok: true, text: `Notice recorded (${accepted?.id ?? "accepted"}); the fee table answers once it lands.` });
      await client.invalidateQueries({ queryKey: keys.pipeline });
    } catch (error) {
      setResult({ ok: false, text: `The notice was refused: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return (
    <form className="filters" onSubmit={submit} aria-labelledby="fee-title">
      <h2 id="fee-title" className="full">
        Record a fee notice
      </h2>
      <div>
        <label htmlFor="fn-year">Fiscal year</label>
        <input id="fn-year" name="fiscal_year" type="number" min={1990} max={2100} required />
      </div>
      <div>
        <label htmlFor="fn-mpf-rate">MPF rate (fraction)</label>
        <input id="fn-mpf-rate" name="mpf_rate" inputMode="decimal" placeholder="0.003464" required />
      </div>
      <div>
        <label htmlFor="fn-mpf-min">MPF minimum (USD)</label>
        <input id="fn-mpf-min" name="mpf_minimum" inputMode="decimal" required />
      </div>
      <div>
        <label htmlFor="fn-mpf-max">MPF maximum (USD)</label>
        <input id="fn-mpf-max" name="mpf_maximum" inputMode="decimal" required />
      </div>
      <div>
        <label htmlFor="fn-hmf-rate">HMF rate (fraction)</label>
        <input id="fn-hmf-rate" name="hmf_rate" inputMode="decimal" placeholder="0.00125" required />
      </div>
      <div>
        <label htmlFor="fn-from">Effective from (if not 1 October)</label>
        <input id="fn-from" name="effective_from" type="date" />
      </div>
      <div className="grow">
        <label htmlFor="fn-citation">Citation</label>
        <input id="fn-citation" name="citation" placeholder="CBP Dec. 25-10" required minLength={3} />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Record notice
        </button>
      </div>
      <FormResult result={result} />
    </form>
  );
}
