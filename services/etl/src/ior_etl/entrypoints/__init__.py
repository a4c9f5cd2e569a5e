"""Lambda entry points of the ETL service."""
