"""The dashboard API: auth, read models, alerts and the manual upload."""
