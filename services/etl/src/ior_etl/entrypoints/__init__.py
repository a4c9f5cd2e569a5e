"""What invokes the ETL service: one Lambda handler per subscription, and the operations `ior` calls."""
