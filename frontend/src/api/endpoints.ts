// Every endpoint the dashboard uses, typed, and the TanStack Query hooks over them.
import { useQuery } from "@tanstack/react-query";
import { ApiError, getJson, query, rememberCsrf, request, send } from "./client";
import { body, typed } from "./typed";
import type {
  Accepted,
  Alert,
  Comparison,
  CustomsLinesPage,
  Cutover,
  DailyTotal,
  ComparisonExplained,
  ComparisonReport,
  EntryDetail,
  Mode,
  FeeNotice,
  Pipeline,
  QuarantinedLine,
  Session,
  User,
} from "./types";

export interface LineQuery {
  date: string;
  mode?: Mode;
  entry?: string;
  hts?: string;
  origin?: string;
  q?: string;
  sort?: string;
  order?: "asc" | "desc";
  page?: number;
  page_size?: number;
}

export const api = {
  login: async (username: string, password: string): Promise<Session> => {
    const session = (await send<Session>("/api/auth/login", "POST", { username, password })) as Session;
    rememberCsrf(session.csrf_token);
    return session;
  },
  logout: async (): Promise<void> => {
    try {
      await send("/api/auth/logout", "POST");
    } finally {
      rememberCsrf(null);
    }
  },
  me: () => getJson<User>("/api/me"),
  users: () => getJson<User[]>("/api/users"),
  addUser: (user: { username: string; role: string; password: string }) => send<User>("/api/users", "POST", user),
  deleteUser: (username: string) => send<null>(`/api/users/${encodeURIComponent(username)}`, "DELETE"),
  lines: (q: LineQuery) => getJson<CustomsLinesPage>(`/api/customs-lines${query({ ...q })}`),
  linesCsv: async (q: LineQuery): Promise<Blob> => {
    const { page: _page, ...filters } = q;
    const response = await request(`/api/customs-lines${query({ ...filters })}`, { accept: "text/csv" });
    return response.blob();
  },
  quarantined: async (date: string, mode?: Mode): Promise<QuarantinedLine[]> =>
    body(await typed.GET("/api/customs-lines/quarantined", { params: { query: { date, mode } } })),
  entry: (entryId: string, mode?: Mode) =>
    getJson<EntryDetail>(`/api/entries/${encodeURIComponent(entryId)}${query({ mode })}`),
  comparisons: () => getJson<Comparison[]>("/api/comparisons"),
  comparison: (id: string) => getJson<Comparison>(`/api/comparisons/${encodeURIComponent(id)}`),
  comparisonExplained: async (id: string): Promise<ComparisonExplained> =>
    // openapi-fetch reads the invoice items' (document, item) pairs as plain arrays; the schema's are tuples.
    body(await typed.GET("/api/comparisons/{comparison_id}/explained", { params: { path: { comparison_id: id } } })) as ComparisonExplained,
  comparisonReport: (id: string) =>
    getJson<ComparisonReport>(`/api/audit/comparisons/${encodeURIComponent(id)}/report.json`),
  compare: (businessDate: string, reason: string) =>
    send<Accepted>("/api/compare", "POST", { business_date: businessDate, reason }),
  cutover: () => getJson<Cutover>("/api/cutover"),
  changeCutover: (body: { action: "cutover" | "rollback"; effective_date: string; reason: string; force: boolean }) =>
    send<Accepted>("/api/cutover", "POST", body),
  alerts: () => getJson<Alert[]>("/api/alerts"),
  pipeline: () => getJson<Pipeline>("/api/pipeline"),
  feeNotice: async (notice: FeeNotice): Promise<Accepted> => body(await typed.POST("/api/fees/notices", { body: notice })),
  replay: (body: { stage: string; since: string; until: string; reason: string }) =>
    send<Accepted>("/api/pipeline/replay", "POST", body),
  dailyTotals: (from: string, to: string) => getJson<DailyTotal[]>(`/api/daily-totals${query({ from, to })}`),
};

export const keys = {
  me: ["me"] as const,
  users: ["users"] as const,
  lines: (q: LineQuery) => ["lines", q] as const,
  entry: (id: string, mode?: Mode) => ["entry", id, mode ?? "official"] as const,
  quarantined: (date: string, mode?: Mode) => ["quarantined", date, mode ?? "official"] as const,
  comparisonReport: (id: string) => ["comparison-report", id] as const,
  comparisonExplained: (id: string) => ["comparison-explained", id] as const,
  comparisons: ["comparisons"] as const,
  comparison: (id: string) => ["comparison", id] as const,
  cutover: ["cutover"] as const,
  alerts: ["alerts"] as const,
  pipeline: ["pipeline"] as const,
  dailyTotals: (from: string, to: string) => ["daily-totals", from, to] as const,
};

/** Whether an endpoint is absent from this API (an older deployment): the page says so instead of failing. */
export function isMissing(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

export const useComparisons = () => useQuery({ queryKey: keys.comparisons, queryFn: api.comparisons });
export const useComparison = (id: string) =>
  useQuery({ queryKey: keys.comparison(id), queryFn: () => api.comparison(id) });
export const useCutover = () => useQuery({ queryKey: keys.cutover, queryFn: api.cutover });
export const useAlerts = () => useQuery({ queryKey: keys.alerts, queryFn: api.alerts, refetchInterval: 30_000 });
export const usePipeline = () =>
  useQuery({ queryKey: keys.pipeline, queryFn: api.pipeline, refetchInterval: 30_000, retry: false });
export const useUsers = () => useQuery({ queryKey: keys.users, queryFn: api.users });
export const useLines = (q: LineQuery, enabled: boolean) =>
  useQuery({ queryKey: keys.lines(q), queryFn: () => api.lines(q), enabled, retry: false });
export const useEntry = (id: string, mode?: Mode) =>
  useQuery({ queryKey: keys.entry(id, mode), queryFn: () => api.entry(id, mode), retry: false });
export const useComparisonReport = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.comparisonReport(id),
    queryFn: () => api.comparisonReport(id),
    enabled,
    retry: false,
    staleTime: Infinity,
  });
export const useDailyTotals = (from: string, to: string, enabled: boolean) =>
  useQuery({ queryKey: keys.dailyTotals(from, to), queryFn: () => api.dailyTotals(from, to), enabled });
export const useComparisonExplained = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.comparisonExplained(id),
    queryFn: () => api.comparisonExplained(id),
    enabled,
    retry: false,
    staleTime: Infinity,
  });
export const useQuarantined = (date: string, mode: Mode | undefined, enabled: boolean) =>
  useQuery({ queryKey: keys.quarantined(date, mode), queryFn: () => api.quarantined(date, mode), enabled, retry: false });
