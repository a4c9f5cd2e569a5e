"""A benchmark's figures as data, beside what it prints: each module hands its `Figure`s to `emit`,
which appends them as JSON lines to the file `IOR_BENCH_FIGURES` names (set by `python -m bench`,
which then prints them all as one table); run alone, a module only prints."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

FIGURES_FILE = "IOR_BENCH_FIGURES"


@dataclass(frozen=True)
class Figure:
    """One measured figure: against a target (ours should be at most it, or at least it when higher
    is better), or beside a peer's figure for the same work."""

    name: str
    value: float
    unit: str
    target: float | None = None
    peer: str | None = None
    peer_value: float | None = None
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        """Ours over the peer's figure, else over the target."""
        other = self.peer_value if self.peer is not None else self.target
        return None if not other else self.value / other


@dataclass(frozen=True)
class Measured:
    benchmark: str
    figure: Figure


def emit(benchmark: str, figures: Iterable[Figure]) -> None:
    path = os.environ.get(FIGURES_FILE)
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as out:
        for figure in figures:
            out.write(json.dumps({"benchmark": benchmark, **asdict(figure)}) + "\n")


def collect(path: Path) -> list[Measured]:
    if not path.exists():
        return []
    found = []
    for text in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(text)
        benchmark = data.pop("benchmark")
        found.append(Measured(benchmark, Figure(**data)))
    return found
