import { Link } from "react-router";
import { useAlerts, useComparisons, useCutover } from "../api/endpoints";
import { OutcomeBadge } from "../components/Badge";
import { useTitle } from "../components/useTitle";
import { ErrorMessage, Loading } from "../components/Status";
import { useKnownDates } from "./dates";
import { DeltaChart } from "./overview/DeltaChart";
import { Health } from "./overview/Health";
import { dailyDeltas, useDailyTotalsOver } from "./overview/daily";

export function OverviewPage() {
  const dates = useKnownDates();
  const daily = useDailyTotalsOver(dates.slice(0, 31));
  const comparisons = useComparisons();
  const alerts = useAlerts();
  const gate = useCutover();
  const days = dailyDeltas(daily.totals, gate.data?.parity ?? []);
  useTitle("Overview");
  return (
    <section aria-labelledby="ov-title">
      <h1 id="ov-title">Overview</h1>
      <Health
        alerts={alerts.data ?? []}
        comparisons={comparisons.data ?? []}
        context={{ gate: gate.data, totals: daily.totals }}
      />
      <h2>Each day: comparison and automated − manual</h2>
      {daily.pending && <Loading what="the daily totals" />}
      {daily.error !== null && (
        <>
          <ErrorMessage error={daily.error} what="the daily totals" />
          <button type="button" onClick={() => daily.refetch()}>
            Try again
          </button>
        </>
      )}
      {!daily.pending && days.length === 0 && daily.error === null && (
        <p className="message message-info">
          No business date processed yet: the chart fills in once the first run lands.{" "}
          <Link to="/pipeline">See what the pipeline is doing</Link> or <Link to="/uploads">upload the manual files</Link>.
        </p>
      )}
      {days.length > 0 && <DeltaChart days={days} />}
      <div className="two">
        <div>
          <h2>Latest comparisons</h2>
          {comparisons.isPending && <Loading what="the comparisons" />}
          {comparisons.isError && <ErrorMessage error={comparisons.error} what="the comparisons" />}
          {comparisons.data?.length === 0 && <p>No comparison yet: one is made when both runs of a date have landed.</p>}
          <ul className="plain">
            {comparisons.data?.slice(0, 5).map((c) => (
              <li key={c.comparison_id}>
                <Link to={`/comparisons/${encodeURIComponent(c.comparison_id)}`}>{c.business_date}</Link>{" "}
                <OutcomeBadge status={c.status} />
              </li>
            ))}
          </ul>
          <p>
            <Link to="/comparisons">Every comparison</Link>
          </p>
        </div>
        <div>
          <h2>Alerts</h2>
          {alerts.isPending && <Loading what="the alerts" />}
          {alerts.isError && <ErrorMessage error={alerts.error} what="the alerts" />}
          {alerts.data && (
            <p>
              {alerts.data.length} open alert(s). <Link to="/alerts">Read the alerts</Link>
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
