"""The root of the customs domain's errors; each error is defined in the module that raises it."""

from __future__ import annotations


class CustomsDomainError(Exception):
    """The processor's inputs break the contract it relies on; the run cannot go on."""
