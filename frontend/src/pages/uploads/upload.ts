import { ApiError, request } from "../../api/client";
import { body, typed, type Schemas } from "../../api/typed";

export type UploadFormats = Schemas["UploadFormatsPublic"];
export type UploadAccepted = Schemas["UploadPublic"];
export type UploadProblem = Schemas["UploadProblem"];
export type UploadFileSummary = Schemas["UploadFileSummary"];
export type UploadHistoryEntry = Schemas["UploadHistoryEntryPublic"];
export type DatasetOutcome = Schemas["DatasetOutcomePublic"];

/** What the pinned formats require, from the API: the accepted names are never listed here. */
export const fetchFormats = async (): Promise<UploadFormats> => body(await typed.GET("/api/uploads/formats"));

export const fetchHistory = async (): Promise<UploadHistoryEntry[]> => body(await typed.GET("/api/uploads"));

/** The selected files whose names are not accepted, each with why: the upload is refused before sending. */
export function misnamed(files: File[], formats: UploadFormats): Map<string, string> {
  const accepted = new Set<string>(formats.files.map((f) => f.filename));
  const refused = new Map<string, string>();
  for (const file of files) {
    if (accepted.has(file.name)) continue;
    const near = formats.files.find((f) => f.filename.toLowerCase() === file.name.toLowerCase());
    refused.set(
      file.name,
      near ? `the name must be exactly ${near.filename} (case matters)` : "not one of the accepted file names",
    );
  }
  return refused;
}

async function uploadPresigned(files: File[], businessDate: string | null): Promise<UploadAccepted> {
  const plan = body(
    await typed.POST("/api/uploads/presigned", {
      body: { files: files.map((f) => f.name) as Schemas["PresignRequest"]["files"] },
    }),
  );
  for (const target of plan.targets) {
    const file = files.find((f) => f.name === target.filename);
    if (!file) continue;
    const form = new FormData();
    for (const [key, value] of Object.entries(target.fields)) form.append(key, value);
    form.append("file", file, file.name);
    const stored = await fetch(target.url, { method: "POST", body: form });
    if (!stored.ok) throw new ApiError(stored.status, `storing ${file.name} failed`, null);
  }
  return body(
    await typed.POST("/api/uploads/presigned/{session}", {
      params: { path: { session: plan.session } },
      body: { business_date: businessDate || null },
    }),
  );
}

/** The bundle in one request, or straight to S3 file by file when it is over what one request carries. */
export async function uploadBundle(
  files: File[],
  businessDate: string | null,
  maxDirectBytes: number,
): Promise<UploadAccepted> {
  const size = files.reduce((sum, f) => sum + f.size, 0);
  if (size > maxDirectBytes) return uploadPresigned(files, businessDate);
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);
  if (businessDate) form.append("business_date", businessDate);
  // Multipart: openapi-fetch sends JSON through `request`, so this call posts the form itself.
  const response = await request("/api/uploads", { method: "POST", form });
  return (await response.json()) as UploadAccepted;
}

export interface FileProblems {
  file: string;
  listed: UploadProblem[];
  /** Every problem found in the file (until the check gave up, if it did), by rule, most frequent first. */
  total: number;
  byRule: [string, number][];
  unlisted: number;
  stoppedAtRow: number | null;
}

/** A refused bundle's problems, file by file: the listed ones in full, all of them counted by rule. */
export function problemsOf(error: unknown): Map<string, FileProblems> {
  const found = new Map<string, FileProblems>();
  if (!(error instanceof ApiError) || !error.body || typeof error.body !== "object") return found;
  const refusal = error.body as Partial<Schemas["UploadRejected"]>;
  const listed = refusal.errors ?? [];
  for (const summary of refusal.summary ?? []) {
    const own = listed.filter((p) => p.file === summary.file);
    found.set(summary.file, {
      file: summary.file,
      listed: own,
      total: summary.problems,
      byRule: Object.entries(summary.by_rule).sort(([, a], [, b]) => b - a),
      unlisted: summary.problems - own.length,
      stoppedAtRow: summary.stopped_at_row,
    });
  }
  // A problem without a summary (an older API): listed, and counted as what is listed.
  for (const problem of listed) {
    if (found.has(problem.file)) continue;
    const own = listed.filter((p) => p.file === problem.file);
    const byRule = new Map<string, number>();
    for (const p of own) byRule.set(p.rule, (byRule.get(p.rule) ?? 0) + 1);
    found.set(problem.file, {
      file: problem.file,
      listed: own,
      total: own.length,
      byRule: [...byRule.entries()].sort(([, a], [, b]) => b - a),
      unlisted: 0,
      stoppedAtRow: null,
    });
  }
  return found;
}

/** Whether the ETL has yet to answer for some file of an upload (each file builds one dataset). */
export function processing(entry: UploadHistoryEntry): boolean {
  const datasets = new Set(entry.outcomes.filter((o) => o.status !== "quarantined").map((o) => o.dataset));
  return datasets.size < entry.files.length;
}
