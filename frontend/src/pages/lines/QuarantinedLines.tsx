import { useQuarantined } from "../../api/endpoints";
import type { Mode } from "../../api/types";
import { ErrorMessage, Loading } from "../../components/Status";

/** The run's quarantined invoice lines: each with why it was set aside and what it needs. */
export function QuarantinedLines({ date, mode, onClose }: { date: string; mode?: Mode; onClose: () => void }) {
  const found = useQuarantined(date, mode, true);
  return (
    <section aria-labelledby="quarantined-title">
      <h2 id="quarantined-title">Quarantined lines of {date}</h2>
      <p>
        <button type="button" onClick={onClose}>
          Hide the quarantined lines
        </button>
      </p>
      {found.isPending && <Loading what="the quarantined lines" />}
      {found.isError && <ErrorMessage error={found.error} what="the quarantined lines" />}
      {found.data && (
        <div className="table-wrap">
          <table>
            <caption>{found.data.length} invoice line(s) set aside, with the fix each needs</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Item</th>
                <th scope="col">Material</th>
                <th scope="col">Reason</th>
                <th scope="col">Fix</th>
              </tr>
            </thead>
            <tbody>
              {found.data.map((line) => (
                <tr key={`${line.document}#${line.item}`}>
                  <td className="mono">{line.document}</td>
                  <td>{line.item}</td>
                  <td className="mono">{line.material ?? "—"}</td>
                  <td>{line.reason.replaceAll("_", " ")}</td>
                  <td>{line.fix}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
