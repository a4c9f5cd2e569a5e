"""Operating a running stack: the procedures of `docs/runbook.md`, one function each, under the CLI."""
