import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StreakPoint } from "./streak";

const PASSED = "#1b6e3a";
const FAILED = "#b3261e";

/** The parity streak per business date; a table carries the same figures for screen readers. */
export function StreakChart({ points, required }: { points: StreakPoint[]; required: number | null }) {
  // A failed day's bar has no height: its date says it failed.
  const passed = new Map(points.map((p) => [p.business_date, p.passed]));
  const tick = (date: string) => `${date} ${passed.get(date) ? "passed" : "failed"}`;
  return (
    <figure className="chart" aria-labelledby="streak-caption">
      <div style={{ width: "100%", height: 240 }}>
        <ResponsiveContainer>
          <BarChart data={points} margin={{ top: 12, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="business_date" tickFormatter={tick} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            {required !== null && <ReferenceLine y={required} stroke="#333" strokeDasharray="6 3" label="required" />}
            <Bar dataKey="streak" name="consecutive passing days" isAnimationActive={false}>
              {points.map((p) => (
                <Cell key={p.business_date} fill={p.passed ? PASSED : FAILED} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption id="streak-caption">Parity streak: consecutive business days whose comparison passed.</figcaption>
      <table className="compact sr-only">
        <caption>Parity streak by business date</caption>
        <thead>
          <tr>
            <th scope="col">Business date</th>
            <th scope="col">Comparison</th>
            <th scope="col">Streak</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.business_date}>
              <td>{p.business_date}</td>
              <td>{p.passed ? "passed" : "failed"}</td>
              <td>{p.streak}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
