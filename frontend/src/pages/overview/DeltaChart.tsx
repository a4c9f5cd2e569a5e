import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DayStrip, verdict } from "../../components/DayStrip";
import { FAILED, PASSED, UNCOMPARED, shortDate } from "../../components/chartColours";
import { dollars } from "../../format";
import type { DayDelta } from "./daily";

const MEASURES = [
  { key: "value", title: "Entered value: automated − manual" },
  { key: "duty", title: "Duty: automated − manual" },
] as const;

function compact(value: number): string {
  return new Intl.NumberFormat("en-US", { notation: "compact", style: "currency", currency: "USD", signDisplay: "exceptZero" }).format(value);
}

function signed(value: number | null): string {
  if (value === null) return "one run missing";
  return value > 0 ? `+${dollars(value)}` : dollars(value);
}

/** Per business date, the comparison's verdict and how far the automated run's entered value and duty
 * are from the manual run's: a bar above or below zero, red on a failed day. Agreement is no bar at
 * all, so two modes that match to the cent never hide each other. The figures are also in a table. */
export function DeltaChart({ days }: { days: DayDelta[] }) {
  const fill = (day: DayDelta) => (day.passed === null ? UNCOMPARED : day.passed ? PASSED : FAILED);
  return (
    <figure className="chart" aria-labelledby="delta-caption">
      <DayStrip days={days} />
      <div className="chart-pair">
        {MEASURES.map((measure) => (
          <div key={measure.key} style={{ width: "100%", height: 240 }}>
            <h3 className="chart-title">{measure.title}</h3>
            <ResponsiveContainer>
              <BarChart data={days} margin={{ top: 8, right: 8, bottom: 24, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="business_date" tickFormatter={shortDate} minTickGap={4} />
                <YAxis tickFormatter={compact} width={64} />
                <Tooltip formatter={(v) => signed(Number(v))} />
                <ReferenceLine y={0} stroke="#333" />
                <Bar dataKey={measure.key} name="automated − manual" isAnimationActive={false}>
                  {days.map((day) => (
                    <Cell key={day.business_date} fill={fill(day)} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
        ))}
      </div>
      <figcaption id="delta-caption">
        Each business date's comparison (green passed, red failed, grey not compared) and the automated run's entered
        value and duty minus the manual run's; no bar means they agree.
      </figcaption>
      {/* Wrapped: a table grows to fit its cells whatever its width, and would widen a phone's page. */}
      <div className="sr-only">
        <table className="compact">
          <caption>Comparison and automated − manual per business date</caption>
          <thead>
            <tr>
              <th scope="col">Business date</th>
              <th scope="col">Comparison</th>
              <th scope="col">Entered value difference</th>
              <th scope="col">Duty difference</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.business_date}>
                <td>{day.business_date}</td>
                <td>{verdict(day.passed)}</td>
                <td>{signed(day.value)}</td>
                <td>{signed(day.duty)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
