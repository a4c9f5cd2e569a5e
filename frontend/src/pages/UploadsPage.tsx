import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../api/client";
import type { UploadAccepted, UploadError } from "../api/types";
import { Badge } from "../components/Badge";
import { LEGACY_FILES, problemsByFile, uploadBundle } from "./uploads/upload";
import { useTitle } from "../components/useTitle";

function Problems({ problems, file }: { problems: UploadError[]; file: string }) {
  return (
    <table className="compact problems">
      <caption>
        {problems.length} problem(s) in {file || "the upload"}
      </caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Column</th>
          <th scope="col">Rule</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p, i) => (
          <tr key={`${p.row}-${p.column}-${i}`}>
            <td>{p.row ?? "whole file"}</td>
            <td>{p.column ?? "—"}</td>
            <td className="mono">{p.rule}</td>
            <td>{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UploadsPage() {
  useTitle("Uploads");
  const inputId = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [businessDate, setBusinessDate] = useState("");
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<UploadAccepted | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setAccepted(null);
    setError(null);
    try {
      setAccepted(await uploadBundle(files, businessDate || null));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const problems = problemsByFile(error);
  const unplaced = [...problems.entries()].filter(([name]) => !files.some((f) => f.name === name));
  return (
    <section aria-labelledby="up-title">
      <h1 id="up-title">Upload the analysts' CSVs</h1>
      <p>
        The manual fallback: the legacy files under their pinned names ({LEGACY_FILES.join(", ")}). Each file is
        checked against its format before anything is stored; a refused upload stores nothing.
      </p>
      <form onSubmit={submit} className="stack-form">
        <label htmlFor={inputId}>CSV files</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          multiple
          onChange={(e) => {
            setFiles(Array.from(e.target.files ?? []));
            setAccepted(null);
            setError(null);
          }}
        />
        <label htmlFor="up-date">Business date (optional)</label>
        <input id="up-date" type="date" value={businessDate} onChange={(e) => setBusinessDate(e.target.value)} />
        <button type="submit" className="primary" disabled={busy || files.length === 0}>
          {busy ? "Uploading…" : "Upload"}
        </button>
      </form>
      {error !== null && (
        <p role="alert" className="message message-error">
          The upload was refused
          {error instanceof ApiError ? ` (HTTP ${error.status}): ${error.message}` : `: ${String(error)}`}
        </p>
      )}
      {accepted && (
        <p role="status" className="message message-ok">
          Accepted upload <span className="mono">{accepted.upload_id.slice(0, 12)}</span>: the ETL is processing it.
        </p>
      )}
      {files.length > 0 && (
        <ul className="files" aria-label="Selected files">
          {files.map((file) => {
            const own = problems.get(file.name) ?? [];
            const done = accepted?.files.find((f) => f.filename === file.name);
            return (
              <li key={file.name}>
                <div className="file-head">
                  <span className="mono">{file.name}</span> <span className="muted">{file.size} bytes</span>{" "}
                  {own.length > 0 && <Badge tone="bad">{own.length} problem(s)</Badge>}
                  {done && (
                    <Badge tone="good">
                      {done.kind}, {done.rows === null ? "checked by the ETL" : `${done.rows} rows`}
                    </Badge>
                  )}
                  {!LEGACY_FILES.includes(file.name) && <Badge tone="warn">not a legacy file name</Badge>}
                </div>
                {own.length > 0 && <Problems problems={own} file={file.name} />}
              </li>
            );
          })}
        </ul>
      )}
      {unplaced.map(([name, list]) => (
        <Problems key={name} problems={list} file={name} />
      ))}
    </section>
  );
}
