"""A run's key: what makes its output, so the same key gives byte-identical lines and the same id."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

KEY_LENGTH = 24


@dataclass(frozen=True)
class RunKey:
    business_date: date
    mode: str
    inputs: Mapping[str, str]
    """Dataset → the version the run reads."""
    code_version: str
    config_version: str

    @cached_property
    def digest(self) -> str:
        canonical = {
            "business_date": self.business_date.isoformat(),
            "mode": self.mode,
            "inputs": dict(sorted(self.inputs.items())),
            "code_version": self.code_version,
            "config_version": self.config_version,
        }
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]

    @property
    def run_id(self) -> str:
        return f"cus-{self.business_date:%Y%m%d}-{self.mode}-{self.digest}"
