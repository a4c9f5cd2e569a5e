import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { dollars } from "../../format";
import type { DailyPoint } from "./daily";

const COLORS = ["#1f4e8c", "#8c3a1f", "#1b6e3a", "#5b2c83"];

function compact(value: number): string {
  return new Intl.NumberFormat("en-US", { notation: "compact", style: "currency", currency: "USD" }).format(value);
}

/** Entered value and duty per business date, one line per series; the figures are also in a table. */
export function DailyChart({ points, series }: { points: DailyPoint[]; series: string[] }) {
  return (
    <figure className="chart" aria-labelledby="daily-caption">
      <div className="chart-pair">
        {(["value", "duty"] as const).map((measure) => (
          <div key={measure} style={{ width: "100%", height: 240 }}>
            <h3 className="chart-title">{measure === "value" ? "Entered value" : "Duty"}</h3>
            <ResponsiveContainer>
              <LineChart data={points} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="business_date" />
                <YAxis tickFormatter={compact} width={72} />
                <Tooltip formatter={(v) => dollars(Number(v))} />
                <Legend />
                {series.map((s, i) => (
                  <Line
                    key={s}
                    type="monotone"
                    dataKey={`${measure}:${s}`}
                    name={s}
                    stroke={COLORS[i % COLORS.length]}
                    strokeWidth={2}
                    // Both modes often agree to the cent: the dash keeps the line underneath visible.
                    strokeDasharray={i === 0 ? undefined : "6 4"}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        ))}
      </div>
      <figcaption id="daily-caption">Entered value and duty per business date.</figcaption>
      <table className="compact sr-only">
        <caption>Daily entered value and duty</caption>
        <thead>
          <tr>
            <th scope="col">Business date</th>
            {series.map((s) => (
              <th key={s} scope="col">
                Value ({s}), duty ({s})
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.business_date}>
              <td>{p.business_date}</td>
              {series.map((s) => (
                <td key={s}>
                  {dollars(p[`value:${s}`] as number)}, {dollars(p[`duty:${s}`] as number)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
