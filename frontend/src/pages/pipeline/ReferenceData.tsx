import type { FeeTableStatus, HtsRevisionStatus } from "../../api/types";
import { Badge } from "../../components/Badge";
import { utc } from "../../format";

/** The fee table's coverage (with its problem and the notices it refused) and the HTS revision in
 * force, one waiting, and the company's numbers the last revision changed. */
export function ReferenceData({ fees, hts }: { fees: FeeTableStatus; hts: HtsRevisionStatus }) {
  return (
    <section aria-labelledby="ref-title">
      <h2 id="ref-title">Reference data</h2>
      <div className="two">
        <div>
          <h3>Fee table</h3>
          <p>
            <Badge tone={fees.short ? "bad" : "good"}>{fees.short ? "coverage short" : "covered"}</Badge>{" "}
            {fees.covered_until
              ? `Covers until ${fees.covered_until}: ${fees.days_ahead} days ahead (at least ${fees.threshold_days} required).`
              : "No fee table has landed yet."}
          </p>
          {fees.problem && <p className="message message-error">{fees.problem}</p>}
          <p className="muted">
            Version <span className="mono">{fees.version ?? "—"}</span>, measured {utc(fees.measured_at)}
          </p>
          {fees.refused.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption>Notices the fee table refused</caption>
                <thead>
                  <tr>
                    <th scope="col">Fiscal year</th>
                    <th scope="col">From</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {fees.refused.map((r) => (
                    <tr key={`${r.fiscal_year}#${r.rule}#${r.notice_event_id ?? ""}`}>
                      <td>{r.fiscal_year}</td>
                      <td>{r.effective_from}</td>
                      <td className="mono">{r.rule}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <div>
          <h3>Official HTS revision</h3>
          <p>
            In force: <strong>{hts.landed ?? "none landed yet"}</strong>
            {hts.landed_at ? `, landed ${utc(hts.landed_at)}` : ""}
          </p>
          {hts.waiting && (
            <p className="message message-error">
              <Badge tone="warn">waiting</Badge> {hts.waiting}
            </p>
          )}
          {hts.changed_count > 0 && (
            <div className="table-wrap">
              <table>
                <caption>
                  {hts.changed_count} company HTS number(s) changed from {hts.changed_from ?? "—"} to {hts.changed_to ?? "—"}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">HTS number</th>
                    <th scope="col">What changed</th>
                  </tr>
                </thead>
                <tbody>
                  {hts.changed.map((c) => (
                    <tr key={c.hts10}>
                      <td className="mono">{c.hts10}</td>
                      <td>{c.changes.join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
