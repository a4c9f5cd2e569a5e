"""When a run is held: the reject-rate threshold per dataset and whether an empty run is held, with
the version that names them (part of every dataset version's key).

A threshold is the reject rate above which a run is held. Tariff provisions hold on any reject:
a provision left out would silently change duties, where a missing product, rate or HTS line is
reported by customs line by line. The fee table never holds for rejects: a notice it refuses (a gap,
an overlap, a figure out of bounds) leaves the rest of the table as it was, and is announced."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ior_contracts.datasets import DATASETS, REFERENCE_TABLES

_KNOWN = frozenset(DATASETS) | frozenset(REFERENCE_TABLES)

DEFAULT_THRESHOLDS: Mapping[str, Decimal] = {
    "product-master": Decimal("0.05"),
    "packaging-materials": Decimal("0.05"),
    "hts-reference": Decimal("0.05"),
    "tariff-provisions": Decimal("0"),
    "exchange-rates": Decimal("0.05"),
    "transactions": Decimal("0.01"),
    "fee-table": Decimal("1"),
}


class UnknownDatasetError(KeyError):
    """A dataset name that `ior_contracts.datasets` does not publish."""


@dataclass(frozen=True)
class HoldPolicy:
    """Thresholds per dataset; an empty run is held unless `hold_empty` is off. `config.EtlConfig`
    makes the deployed one; the defaults are the business's."""

    thresholds: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    hold_empty: bool = True

    def __post_init__(self) -> None:
        unknown = sorted(set(self.thresholds) - _KNOWN)
        if unknown:
            raise UnknownDatasetError(f"thresholds for unknown datasets: {', '.join(unknown)}")
        for name, value in self.thresholds.items():
            if not Decimal(0) <= value <= Decimal(1):
                raise ValueError(f"threshold of {name} must be between 0 and 1, not {value}")

    def threshold(self, dataset: str) -> Decimal:
        if dataset not in _KNOWN:
            raise UnknownDatasetError(dataset)
        return self.thresholds.get(dataset, DEFAULT_THRESHOLDS[dataset])

    def version(self) -> str:
        """A short hash of the policy: part of every dataset version's key."""
        canonical = json.dumps(
            {
                "thresholds": {k: str(v) for k, v in sorted(self.thresholds.items())},
                "hold_empty": self.hold_empty,
            },
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]
