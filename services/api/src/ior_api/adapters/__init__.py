"""The API's adapters: its table, the data and audit buckets, the signing-key secret, the alert topic,
the queues and the archive."""
