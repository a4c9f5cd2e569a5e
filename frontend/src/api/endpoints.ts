// Every endpoint the dashboard uses, typed, and the TanStack Query hooks over them.
import { useQuery } from "@tanstack/react-query";
import { ApiError, query, rememberCsrf, request } from "./client";
import type { paths } from "./schema";
import { body, type Schemas, typed } from "./typed";
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
  Replay,
  Session,
  User,
} from "./types";

type UserCreate = Schemas["UserCreate"];
type CutoverCreate = Schemas["CutoverCreate"];
type ReplayCreate = Schemas["ReplayCreate"];
type LinesParams = NonNullable<paths["/api/customs-lines"]["get"]["parameters"]["query"]>;

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
    const session = body(await typed.POST("/api/auth/login", { body: { username, password } }));
    rememberCsrf(session.csrf_token);
    return session;
  },
  logout: async (): Promise<void> => {
    try {
      await typed.POST("/api/auth/logout");
    } finally {
      rememberCsrf(null);
    }
  },
  me: async (): Promise<User> => body(await typed.GET("/api/me")),
  users: async (): Promise<User[]> => body(await typed.GET("/api/users")),
  addUser: async (user: UserCreate): Promise<User> => body(await typed.POST("/api/users", { body: user })),
  deleteUser: async (username: string): Promise<void> => {
    await typed.DELETE("/api/users/{username}", { params: { path: { username } } });
  },
  lines: async (q: LineQuery): Promise<CustomsLinesPage> =>
    // The page's sort comes from the address (the API refuses a column it does not sort by); the
    // answer is JSON, the call's other content type (CSV) being `linesCsv`.
    body(await typed.GET("/api/customs-lines", { params: { query: q as LinesParams } })) as CustomsLinesPage,
  // CSV: the same call with `Accept: text/csv`, read as a file rather than parsed.
  linesCsv: async (q: LineQuery): Promise<Blob> => {
    const { page: _page, ...filters } = q;
    const response = await request(`/api/customs-lines${query({ ...filters })}`, { accept: "text/csv" });
    return response.blob();
  },
  quarantined: async (date: string, mode?: Mode): Promise<QuarantinedLine[]> =>
    body(await typed.GET("/api/customs-lines/quarantined", { params: { query: { date, mode } } })),
  entry: async (entryId: string, mode?: Mode): Promise<EntryDetail> =>
    // openapi-fetch reads the invoice items' (document, item) pairs as plain arrays; the schema's are tuples.
    body(await typed.GET("/api/entries/{entry_id}", { params: { path: { entry_id: entryId }, query: { mode } } })) as EntryDetail,
  comparisons: async (): Promise<Comparison[]> => body(await typed.GET("/api/comparisons")),
  comparison: async (id: string): Promise<Comparison> =>
    body(await typed.GET("/api/comparisons/{comparison_id}", { params: { path: { comparison_id: id } } })),
  comparisonExplained: async (id: string): Promise<ComparisonExplained> =>
    // openapi-fetch reads the invoice items' (document, item) pairs as plain arrays; the schema's are tuples.
    body(await typed.GET("/api/comparisons/{comparison_id}/explained", { params: { path: { comparison_id: id } } })) as ComparisonExplained,
  // The stored report, served unread by the API: `compare-report/1`, described by its contract.
  comparisonReport: async (id: string): Promise<ComparisonReport> =>
    body(
      await typed.GET("/api/audit/comparisons/{comparison_id}/{name}", {
        params: { path: { comparison_id: id, name: "report.json" } },
      }),
      // The path serves the HTML page too; asked for report.json, the answer is the JSON one.
    ) as ComparisonReport,
  compare: async (businessDate: string, reason: string): Promise<Accepted> =>
    body(await typed.POST("/api/compare", { body: { business_date: businessDate, reason } })),
  cutover: async (): Promise<Cutover> => body(await typed.GET("/api/cutover")),
  changeCutover: async (change: CutoverCreate): Promise<Accepted> =>
    body(await typed.POST("/api/cutover", { body: change })),
  alerts: async (): Promise<Alert[]> => body(await typed.GET("/api/alerts")),
  pipeline: async (): Promise<Pipeline> => body(await typed.GET("/api/pipeline")),
  feeNotice: async (notice: FeeNotice): Promise<Accepted> => body(await typed.POST("/api/fees/notices", { body: notice })),
  replay: async (replay: ReplayCreate): Promise<Replay> =>
    body(await typed.POST("/api/pipeline/replay", { body: replay })),
  dailyTotals: async (from: string, to: string): Promise<DailyTotal[]> =>
    body(await typed.GET("/api/daily-totals", { params: { query: { from, to } } })),
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
