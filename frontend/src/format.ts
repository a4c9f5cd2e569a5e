// Money and dates as the analysts read them: US dollars, ISO dates, UTC times.

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usdWhole = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const count = new Intl.NumberFormat("en-US");

export function dollars(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = typeof value === "string" ? Number(value) : value;
  return Number.isFinite(n) ? usd.format(n) : String(value);
}

export function wholeDollars(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : usdWhole.format(value);
}

export function cents(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : usd.format(value / 100);
}

export function number(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : count.format(value);
}

export function utc(timestamp: string | null | undefined): string {
  if (!timestamp) return "—";
  const parsed = new Date(timestamp);
  if (Number.isNaN(parsed.getTime())) return timestamp;
  return `${parsed.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function age(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}
