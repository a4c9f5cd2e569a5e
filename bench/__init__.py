"""Benchmarks: scripts that print figures. Targets are quoted, never asserted."""
