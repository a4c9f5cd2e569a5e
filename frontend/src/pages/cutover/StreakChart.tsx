import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ParityDay } from "../../api/types";

const PASSED = "#1b6e3a";
const FAILED = "#b3261e";

/** The parity streak per business date (oldest first), as the compare service counted it with each
 * comparison, against the streak a cutover needs; a table carries the same figures for screen readers. */
export function StreakChart({ points, required }: { points: ParityDay[]; required: number | null }) {
  // A failed day's bar has no height: its date says it failed. A date compared before the service
  // announced its count has no bar either; the table says "not stated".
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
            {required !== null && (
              // The axis reaches the requirement even while every bar is far below it.
              <ReferenceLine
                y={required}
                ifOverflow="extendDomain"
                stroke="#333"
                strokeDasharray="6 3"
                label={`required: ${required}`}
              />
            )}
            <Bar dataKey="streak" name="consecutive passing days" isAnimationActive={false}>
              {points.map((p) => (
                <Cell key={p.business_date} fill={p.passed ? PASSED : FAILED} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption id="streak-caption">
        Parity streak: consecutive business days whose comparison passed, as the compare service counted them
        {required !== null ? `; a cutover needs ${required}` : ""}.
      </figcaption>
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
              <td>{p.streak ?? "not stated"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
