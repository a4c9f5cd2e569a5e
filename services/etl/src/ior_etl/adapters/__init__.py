"""The ETL service's adapters: its table (`catalog`, over the DynamoDB helper `table`) and the
objects it reads and writes (`storage`, over the S3 helper `objects`)."""
