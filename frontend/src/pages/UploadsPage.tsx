import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ApiError } from "../api/client";
import { Badge } from "../components/Badge";
import { ErrorMessage, Loading } from "../components/Status";
import { useTitle } from "../components/useTitle";
import { FormatRules } from "./uploads/FormatRules";
import { ProblemList } from "./uploads/ProblemList";
import { UploadHistory } from "./uploads/UploadHistory";
import {
  type UploadAccepted,
  type UploadHistoryEntry,
  fetchFormats,
  fetchHistory,
  misnamed,
  problemsOf,
  processing,
  uploadBundle,
} from "./uploads/upload";

const FALLBACK_MAX_DIRECT_BYTES = 6 * 1024 * 1024;
// While the ETL is still answering for a recent upload, the history is read again this often; an
// upload older than the window is not waited for (the page shows it as still processing).
const PROCESSING_POLL_MS = 3_000;
const PROCESSING_WINDOW_MS = 10 * 60_000;

const awaited = (entry: UploadHistoryEntry) =>
  processing(entry) && Date.now() - Date.parse(entry.uploaded_at) < PROCESSING_WINDOW_MS;

export function UploadsPage() {
  useTitle("Uploads");
  const inputId = useId();
  const queries = useQueryClient();
  const formats = useQuery({ queryKey: ["upload-formats"], queryFn: fetchFormats, staleTime: Infinity });
  const history = useQuery({
    queryKey: ["upload-history"],
    queryFn: fetchHistory,
    refetchInterval: (query) => (query.state.data?.some(awaited) ? PROCESSING_POLL_MS : false),
  });
  const [files, setFiles] = useState<File[]>([]);
  const [businessDate, setBusinessDate] = useState("");
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<UploadAccepted | null>(null);
  const [error, setError] = useState<unknown>(null);

  const refused = formats.data ? misnamed(files, formats.data) : new Map<string, string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (refused.size > 0) return;
    setBusy(true);
    setAccepted(null);
    setError(null);
    try {
      const maxDirect = formats.data?.max_direct_bytes ?? FALLBACK_MAX_DIRECT_BYTES;
      setAccepted(await uploadBundle(files, businessDate || null, maxDirect));
      await queries.invalidateQueries({ queryKey: ["upload-history"] });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const problems = problemsOf(error);
  const unplaced = [...problems.values()].filter((p) => !files.some((f) => f.name === p.file));
  return (
    <section aria-labelledby="up-title">
      <h1 id="up-title">Upload the analysts' CSVs</h1>
      <p>
        The manual fallback: the legacy files under their pinned names. Each file is checked against its format before
        anything is stored; a refused upload stores nothing.
      </p>
      {formats.isPending && <Loading what="the pinned formats" />}
      {formats.isError && <ErrorMessage error={formats.error} what="the pinned formats (the API still checks each file)" />}
      {formats.data && <FormatRules formats={formats.data} />}

      <h2>Upload</h2>
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
        <button type="submit" className="primary" disabled={busy || files.length === 0 || refused.size > 0}>
          {busy ? "Uploading…" : "Upload"}
        </button>
      </form>
      {refused.size > 0 && (
        <p role="alert" className="message message-error">
          Not sent: {[...refused.keys()].join(", ")} {refused.size === 1 ? "is" : "are"} not named as a legacy file.
          Rename {refused.size === 1 ? "it" : "them"} to one of the accepted names above, or leave{" "}
          {refused.size === 1 ? "it" : "them"} out.
        </p>
      )}
      {error !== null && (
        <p role="alert" className="message message-error">
          The upload was refused
          {error instanceof ApiError ? ` (HTTP ${error.status}): ${error.message}` : `: ${String(error)}`}
        </p>
      )}
      {accepted && (
        <p role="status" className="message message-ok">
          Accepted upload <span className="mono">{accepted.upload_id.slice(0, 12)}</span>: the ETL is processing it; its
          outcome appears in the history below.
        </p>
      )}
      {files.length > 0 && (
        <ul className="files" aria-label="Selected files">
          {files.map((file) => {
            const own = problems.get(file.name);
            const done = accepted?.files.find((f) => f.filename === file.name);
            const misnaming = refused.get(file.name);
            return (
              <li key={file.name}>
                <div className="file-head">
                  <span className="mono">{file.name}</span> <span className="muted">{file.size} bytes</span>{" "}
                  {own && <Badge tone="bad">{own.total} problem(s)</Badge>}
                  {done && (
                    <Badge tone="good">
                      {done.kind}, {done.rows === null ? "checked by the ETL" : `${done.rows} rows`}
                    </Badge>
                  )}
                  {misnaming && <Badge tone="warn">{misnaming}</Badge>}
                </div>
                {own && <ProblemList problems={own} />}
              </li>
            );
          })}
        </ul>
      )}
      {unplaced.map((p) => (
        <ProblemList key={p.file} problems={p} />
      ))}

      <h2>Upload history</h2>
      {history.isPending && <Loading what="the upload history" />}
      {history.isError && <ErrorMessage error={history.error} what="the upload history" />}
      {history.data && <UploadHistory entries={history.data} />}
    </section>
  );
}
