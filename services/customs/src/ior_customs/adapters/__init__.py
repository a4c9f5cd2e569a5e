"""The customs service's adapters: its table, the ETL's published snapshots, its own objects."""
