"""What invokes the API: the HTTP handler and its web app, the projections and alarms subscriptions,
the Slack route of the alert topic, and the operations `ior` calls."""
