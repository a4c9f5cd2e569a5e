/** One business date's verdict, as a strip of days shows it; null when it was not compared. */
export interface DayVerdict {
  business_date: string;
  passed: boolean | null;
}

export function verdict(passed: boolean | null): "passed" | "failed" | "not compared" {
  return passed === null ? "not compared" : passed ? "passed" : "failed";
}

const MARK = { passed: "✓", failed: "✗", "not compared": "–" } as const;

/** The days oldest first, each a chip that says passed or failed in words, mark and colour:
 * readable at a glance and on a phone, where a chart's axis labels crowd. The chart beside it
 * carries the same figures in its own table, so screen readers skip the strip. */
export function DayStrip({ days }: { days: DayVerdict[] }) {
  return (
    <ol className="day-strip" aria-hidden="true">
      {days.map((day) => {
        const word = verdict(day.passed);
        return (
          <li key={day.business_date} className={`day day-${word.replace(" ", "-")}`}>
            {MARK[word]} {day.business_date} {word}
          </li>
        );
      })}
    </ol>
  );
}
