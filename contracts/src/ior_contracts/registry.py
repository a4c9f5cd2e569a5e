"""Every contract by detail-type: the one lookup the publisher, consumers and tools share."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from ior_contracts.envelope import Event

# One module per event family; each defines its Event subclasses.
FAMILIES = ("ingestion", "etl", "manual", "fees", "customs", "compare", "cutover")


class UnknownDetailTypeError(KeyError):
    """No contract has this detail-type."""


@cache
def contracts() -> dict[str, type[Event]]:
    """detail-type → payload model, for every contract, in catalogue order."""
    found: dict[str, type[Event]] = {}
    for family in FAMILIES:
        module = import_module(f"ior_contracts.{family}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Event) and value.__module__ == module.__name__:
                if value.DETAIL_TYPE in found:
                    raise ValueError(f"{value.DETAIL_TYPE} is defined twice")
                found[value.DETAIL_TYPE] = value
    return found


def model_for(detail_type: str) -> type[Event]:
    try:
        return contracts()[detail_type]
    except KeyError:
        known = ", ".join(sorted(contracts()))
        raise UnknownDetailTypeError(f"no contract named {detail_type!r}; known: {known}") from None
