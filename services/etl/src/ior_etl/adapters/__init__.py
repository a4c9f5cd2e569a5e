"""The ETL service's adapters: its table and the objects it reads and writes."""
