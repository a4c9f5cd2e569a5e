"""What the ingestion service does with its messages, over its ports: no client is created here."""
