import { Link } from "react-router";
import { useAlerts, useComparisons } from "../api/endpoints";
import { OutcomeBadge } from "../components/Badge";
import { useTitle } from "../components/useTitle";
import { ErrorMessage, Loading } from "../components/Status";
import { useKnownDates } from "./dates";
import { DailyChart } from "./overview/DailyChart";
import { Health } from "./overview/Health";
import { useDailySeries } from "./overview/daily";

export function OverviewPage() {
  const dates = useKnownDates();
  const daily = useDailySeries(dates.slice(0, 31));
  const comparisons = useComparisons();
  const alerts = useAlerts();
  const critical = alerts.data?.filter((a) => a.severity === "critical").length ?? 0;
  useTitle("Overview");
  return (
    <section aria-labelledby="ov-title">
      <h1 id="ov-title">Overview</h1>
      <Health alerts={alerts.data ?? []} comparisons={comparisons.data ?? []} />
      <h2>Daily entered value and duty</h2>
      {daily.pending && <Loading what="the daily totals" />}
      {daily.error !== null && <ErrorMessage error={daily.error} what="the daily totals" />}
      {!daily.pending && daily.points.length === 0 && daily.error === null && <p>No business date processed yet.</p>}
      {daily.points.length > 0 && <DailyChart points={daily.points} series={daily.series} />}
      <div className="two">
        <div>
          <h2>Latest comparisons</h2>
          {comparisons.isPending && <Loading what="the comparisons" />}
          {comparisons.isError && <ErrorMessage error={comparisons.error} what="the comparisons" />}
          <ul className="plain">
            {comparisons.data?.slice(0, 5).map((c) => (
              <li key={c.comparison_id}>
                <Link to={`/comparisons/${encodeURIComponent(c.comparison_id)}`}>{c.business_date}</Link>{" "}
                <OutcomeBadge status={c.status} />
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h2>Alerts</h2>
          {alerts.data && (
            <p>
              {alerts.data.length} alert(s), {critical} critical. <Link to="/alerts">Read the alerts</Link>
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
