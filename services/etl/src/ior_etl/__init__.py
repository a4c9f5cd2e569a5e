"""Validated, immutable, versioned datasets from the landed extracts and the manual uploads."""
