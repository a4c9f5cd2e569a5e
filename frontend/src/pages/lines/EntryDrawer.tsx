import { useEntry } from "../../api/endpoints";
import type { EntrySummary, Mode } from "../../api/types";
import { Badge, OfficialBadge } from "../../components/Badge";
import { Drawer } from "../../components/Drawer";
import { ErrorMessage, Loading } from "../../components/Status";
import { dollars, wholeDollars } from "../../format";

/** One entry's totals as filed: value, duty, MPF and HMF, formal or informal, and its lines. */
export function EntryDrawer({ summary, mode, onClose }: { summary: EntrySummary; mode: Mode; onClose: () => void }) {
  const found = useEntry(summary.entry_id, mode);
  const detail = found.data;
  const entry = detail?.entry;
  return (
    <Drawer title={`Entry ${summary.entry_id}`} onClose={onClose}>
      <p>
        Port {summary.port}, arrival {summary.arrival}
      </p>
      {found.isPending && <Loading what="the entry" />}
      {found.isError && <ErrorMessage error={found.error} what="the entry" />}
      {detail && entry && (
        <>
          <p>
            <Badge tone={entry.formal ? "neutral" : "info"}>{entry.formal ? "formal" : "informal"}</Badge>{" "}
            <OfficialBadge official={detail.official} />{" "}
            {entry.flags.map((flag) => (
              <Badge key={flag} tone="warn">
                {flag.replaceAll("_", " ")}
              </Badge>
            ))}
          </p>
          <dl className="pairs">
            <div>
              <dt>Entered value</dt>
              <dd>{wholeDollars(entry.totals.value)}</dd>
            </div>
            <div>
              <dt>Duty</dt>
              <dd>{dollars(entry.totals.duty)}</dd>
            </div>
            <div>
              <dt>MPF</dt>
              <dd>{entry.totals.mpf === null ? "none (informal)" : dollars(entry.totals.mpf)}</dd>
            </div>
            <div>
              <dt>HMF</dt>
              <dd>{entry.totals.hmf === null ? "none" : dollars(entry.totals.hmf)}</dd>
            </div>
            <div>
              <dt>Run</dt>
              <dd className="mono">
                {detail.mode} {detail.run_id}
              </dd>
            </div>
          </dl>
          <h3>Lines</h3>
          <table className="compact">
            <caption className="sr-only">Lines of entry {entry.entry_id}</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">HTS stack</th>
                <th scope="col">Origin</th>
                <th scope="col">Value</th>
                <th scope="col">Duty</th>
              </tr>
            </thead>
            <tbody>
              {entry.lines.map((line) => (
                <tr key={line.line}>
                  <td>{line.line}</td>
                  <td className="mono">{line.stack.join(" › ")}</td>
                  <td>{line.origin}</td>
                  <td>{wholeDollars(line.value)}</td>
                  <td>{dollars(line.duty)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Drawer>
  );
}
