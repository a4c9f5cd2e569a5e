import { Badge, type Tone } from "../../components/Badge";
import { utc } from "../../format";
import { type DatasetOutcome, type UploadHistoryEntry, processing } from "./upload";

const TONES: Record<DatasetOutcome["status"], Tone> = {
  published: "good",
  confirmed: "info",
  held: "bad",
  quarantined: "warn",
};

function Outcomes({ entry }: { entry: UploadHistoryEntry }) {
  return (
    <ul className="upload-outcomes">
      {entry.outcomes.map((o) => (
        <li key={`${o.dataset}-${o.status}`}>
          <span className="mono">{o.dataset}</span> <Badge tone={TONES[o.status]}>{o.status}</Badge>{" "}
          <span className="muted">{o.detail}</span>
        </li>
      ))}
      {processing(entry) && (
        <li>
          <Badge tone="neutral">processing</Badge> <span className="muted">the ETL has not answered for every file yet</span>
        </li>
      )}
    </ul>
  );
}

/** The accepted uploads, newest first, each with what the ETL made of it. */
export function UploadHistory({ entries }: { entries: UploadHistoryEntry[] }) {
  if (entries.length === 0) {
    return <p className="muted">No upload has been accepted yet: the first one will be listed here with what the ETL made of it.</p>;
  }
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Upload history">
      <table className="compact upload-history">
        <caption>The latest {entries.length} accepted upload(s), newest first</caption>
        <thead>
          <tr>
            {/* The outcome next to the upload: on a phone, what the table scrolls away is the least needed. */}
            <th scope="col">Uploaded</th>
            <th scope="col">What the ETL made of it</th>
            <th scope="col">Files</th>
            <th scope="col">By</th>
            <th scope="col">Business date</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={`${entry.uploaded_at}-${entry.event_id}`}>
              <td>
                {utc(entry.uploaded_at)}
                <br />
                <span className="mono muted" title={entry.upload_id}>
                  {entry.upload_id.slice(0, 12)}
                </span>
              </td>
              <td>
                <Outcomes entry={entry} />
              </td>
              <td>
                <ul className="upload-files">
                  {entry.files.map((f) => (
                    <li key={f.filename}>
                      <span className="mono">{f.filename}</span> <span className="muted">{f.rows === null ? "checked by the ETL" : `${f.rows} rows`}</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td>{entry.uploaded_by}</td>
              <td>{entry.business_date ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
