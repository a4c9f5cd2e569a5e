"""Versioned event contracts of ior-pipeline: the envelope, every event's payload, the publisher,
the declarations of subscriptions and schedules, and the Lambda glue every service shares.

This is the only package every service imports. It holds no business logic."""
