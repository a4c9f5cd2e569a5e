"""Lambda entry points: the HTTP API and the projections subscription."""
