import { ApiError, request, send } from "../../api/client";
import type { UploadAccepted, UploadError } from "../../api/types";

/** The pinned names of the analysts' legacy CSVs, as the API accepts them. */
export const LEGACY_FILES = [
  "Product_List.csv",
  "HTS_Code.csv",
  "HTS Tariff.csv",
  "Packaging_Material.csv",
  "Exchange_Rates.csv",
  "Invoice_Lines.csv",
];

/** Bundles above this go to S3 directly (API Gateway and Lambda cap a request body near 6 MB). */
export const MAX_DIRECT_BYTES = 6 * 1024 * 1024;

interface PresignedUpload {
  session: string;
  targets: { filename: string; url: string; fields: Record<string, string> }[];
}

async function uploadPresigned(files: File[], businessDate: string | null): Promise<UploadAccepted> {
  const plan = (await send<PresignedUpload>("/api/uploads/presigned", "POST", {
    files: files.map((f) => f.name),
  })) as PresignedUpload;
  for (const target of plan.targets) {
    const file = files.find((f) => f.name === target.filename);
    if (!file) continue;
    const form = new FormData();
    for (const [key, value] of Object.entries(target.fields)) form.append(key, value);
    form.append("file", file, file.name);
    const stored = await fetch(target.url, { method: "POST", body: form });
    if (!stored.ok) throw new ApiError(stored.status, `storing ${file.name} failed`, null);
  }
  return (await send<UploadAccepted>(`/api/uploads/presigned/${plan.session}`, "POST", {
    business_date: businessDate || null,
  })) as UploadAccepted;
}

export async function uploadBundle(files: File[], businessDate: string | null): Promise<UploadAccepted> {
  const size = files.reduce((sum, f) => sum + f.size, 0);
  if (size > MAX_DIRECT_BYTES) return uploadPresigned(files, businessDate);
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name);
  if (businessDate) form.append("business_date", businessDate);
  const response = await request("/api/uploads", { method: "POST", form });
  return (await response.json()) as UploadAccepted;
}

/** The format problems of a refused bundle, by file name ("" for problems of the request itself). */
export function problemsByFile(error: unknown): Map<string, UploadError[]> {
  const found = new Map<string, UploadError[]>();
  if (!(error instanceof ApiError) || !error.body || typeof error.body !== "object") return found;
  const errors = (error.body as { errors?: UploadError[] }).errors ?? [];
  for (const problem of errors) {
    const list = found.get(problem.file) ?? [];
    list.push(problem);
    found.set(problem.file, list);
  }
  return found;
}
