import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ParityDay } from "../../api/types";
import { DayStrip } from "../../components/DayStrip";
import { FAILED, PASSED, shortDate } from "../../components/chartColours";

/** The parity streak per business date (oldest first), as the compare service counted it with each
 * comparison, against the streak a cutover needs; a table carries the same figures for screen readers. */
export function StreakChart({ points, required }: { points: ParityDay[]; required: number | null }) {
  const failed = points.filter((p) => !p.passed).length;
  return (
    <figure className="chart" aria-labelledby="streak-caption">
      <DayStrip days={points} />
      <div style={{ width: "100%", height: 240 }}>
        <ResponsiveContainer>
          <BarChart data={points} margin={{ top: 12, right: 8, bottom: 4, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="business_date" tickFormatter={shortDate} minTickGap={4} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            {required !== null && (
              // The axis reaches the requirement even while every bar is far below it.
              <ReferenceLine
                y={required}
                ifOverflow="extendDomain"
                stroke="#333"
                strokeDasharray="6 3"
                label={{ value: `required: ${required}`, position: "insideTopRight" }}
              />
            )}
            {/* A failed day resets the streak to 0: a short red bar keeps it in sight. */}
            <Bar dataKey="streak" name="consecutive passing days" isAnimationActive={false} minPointSize={6}>
              {points.map((p) => (
                <Cell key={p.business_date} fill={p.passed ? PASSED : FAILED} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption id="streak-caption">
        Parity streak: consecutive business days whose comparison passed, as the compare service counted them
        {required !== null ? `; a cutover needs ${required}` : ""}. {failed} of {points.length} compared day(s)
        failed (red).
      </figcaption>
      {/* Wrapped: a table grows to fit its cells whatever its width, and would widen a phone's page. */}
      <div className="sr-only">
        <table className="compact">
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
      </div>
    </figure>
  );
}
