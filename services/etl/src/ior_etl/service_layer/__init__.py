"""What the ETL does, over its ports: the handlers of its messages and the runs they share."""
