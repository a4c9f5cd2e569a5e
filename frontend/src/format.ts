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

/** A rate held as a fraction (`0.027`), shown as a percentage (`2.7 %`). */
export function percent(fraction: string | null | undefined): string {
  if (fraction === null || fraction === undefined || fraction === "") return "—";
  const n = Number(fraction);
  if (!Number.isFinite(n)) return fraction;
  // Up to four places: 2.7 %, 0.3464 %; never floating-point noise.
  return `${Number((n * 100).toFixed(4))} %`;
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
