"""Lambda entry points of the ingestion service."""
