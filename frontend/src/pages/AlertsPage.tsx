import { Link } from "react-router";
import { useAlerts } from "../api/endpoints";
import type { Alert } from "../api/types";
import { Badge } from "../components/Badge";
import { ErrorMessage, Loading } from "../components/Status";
import { utc } from "../format";
import { useTitle } from "../components/useTitle";

/** An alert's link: a dashboard route, a web address, or a storage location to copy. */
function Concerning({ alert }: { alert: Alert }) {
  if (alert.link.startsWith("/")) return <Link to={alert.link}>Open {alert.link}</Link>;
  if (/^https?:\/\//.test(alert.link)) {
    return (
      <a href={alert.link} target="_blank" rel="noopener noreferrer">
        Open
      </a>
    );
  }
  return <span className="mono small">{alert.link}</span>;
}

export function AlertsPage() {
  useTitle("Alerts");
  const alerts = useAlerts();
  return (
    <section aria-labelledby="al-title">
      <h1 id="al-title">Alerts</h1>
      {alerts.isPending && <Loading what="the alerts" />}
      {alerts.isError && <ErrorMessage error={alerts.error} what="the alerts" />}
      {alerts.data && alerts.data.length === 0 && <p>No alert.</p>}
      {alerts.data && alerts.data.length > 0 && (
        <ol className="feed" aria-label="Alerts, newest first">
          {[...alerts.data]
            .sort((a, b) => b.since.localeCompare(a.since))
            .map((alert) => (
              <li key={alert.id} className={`alert alert-${alert.severity}`}>
                <p className="alert-head">
                  <Badge tone={alert.severity === "critical" ? "bad" : alert.severity === "warning" ? "warn" : "info"}>
                    {alert.severity}
                  </Badge>{" "}
                  <strong>{alert.what}</strong>
                </p>
                <p>
                  {alert.where} · since {utc(alert.since)}
                  {alert.business_date ? ` · business date ${alert.business_date}` : ""}
                </p>
                <p>What to do: {alert.action}</p>
                <p>
                  <Concerning alert={alert} />
                </p>
              </li>
            ))}
        </ol>
      )}
    </section>
  );
}
