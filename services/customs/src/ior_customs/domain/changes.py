"""What a candidate run of a closed date would change in its official lines (a post-summary
correction). Lines are the same line when they share (entry, HTS10, origin, part, stack) — the key
the processor consolidates on — and changed when a reported figure differs."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ior_contracts.customs import CorrectionSummary

REPORTED = ("description", "quantity", "net_kg", "gross_kg", "value", "rates", "duties", "duty")

Digest = bytes
"""16 bytes of BLAKE2b: a line's key, or its reported figures."""


def _cents(amount: str | None) -> int:
    return 0 if amount is None else int(Decimal(amount) * 100)


def money_totals(run: Mapping[str, Any]) -> dict[str, int]:
    """Entered value, duty, MPF and HMF over the run's entries, in cents."""
    totals = [entry["totals"] for entry in run["entries"]]
    return {
        "value": sum(int(t["value"]) * 100 for t in totals),
        **{fee: sum(_cents(t[fee]) for t in totals) for fee in ("duty", "mpf", "hmf")},
    }


@dataclass(frozen=True)
class Reported:
    """A run's lines as a correction compares them: by a digest of each line's key (entry, HTS10,
    origin, part, stack), its entry and a digest of its reported figures; and the run's money
    totals. Digests, not the values: a million-line day's lines are then 120 MB, not 300 MB."""

    lines: dict[Digest, tuple[str, Digest]]
    money: dict[str, int]


_ENTRIES = re.compile(r'"entries"\s*:\s*\[\s*')
_BETWEEN = re.compile(r"\s*,?\s*")
_DECODER = json.JSONDecoder()


def reported(text: Iterable[bytes]) -> Reported:
    """What a correction compares of a published lines document (JSON, entries under `entries`),
    given its text in pieces, parsed an entry at a time and kept as digests: a million-line day's
    document is 435 MB of text and 1.7 GB as Python objects whole, and a correction compares two."""
    decode = codecs.getincrementaldecoder("utf-8")().decode
    pending, at, started = "", 0, False
    lines: dict[Digest, tuple[str, Digest]] = {}
    totals: list[Mapping[str, Any]] = []
    for piece in text:
        pending, at = pending[at:] + decode(piece), 0
        if not started:
            found = _ENTRIES.search(pending)
            if found is None:
                continue
            started, at = True, found.end()
        at = _take_entries(pending, at, lines, totals)
        if pending.startswith("]", at):
            return Reported(lines, money_totals({"entries": [{"totals": t} for t in totals]}))
    if not started:
        raise ValueError("the lines document has no entries")
    raise ValueError(f"the lines document ends inside its entries, after {len(totals)}")


def _take_entries(
    pending: str, at: int, lines: dict[Digest, tuple[str, Digest]], totals: list[Mapping[str, Any]]
) -> int:
    """Each whole entry from `at` on, into `lines` and `totals`; where the text it took ends."""
    while True:
        # What separates entries may be cut between pieces too.
        at = _BETWEEN.match(pending, at).end()  # type: ignore[union-attr]  # matches the empty text
        if at == len(pending) or pending[at] == "]":
            return at
        try:
            entry, at = _DECODER.raw_decode(pending, at)
        except json.JSONDecodeError:
            return at  # the entry goes on in the next piece
        totals.append({fee: entry["totals"][fee] for fee in _MONEY})
        entry_id = entry["entry_id"]
        for line in entry["lines"]:
            key = [entry_id, line["hts10"], line["origin"], line["part"], line["stack"]]
            figures = [line.get(field) for field in REPORTED]
            lines[_digest(key)] = (entry_id, _digest(figures))


_MONEY = ("value", "duty", "mpf", "hmf")


# `json.dumps(values, sort_keys=True)`'s text, from one encoder: `dumps` builds one per call, which
# cost more than the encoding at two digests a line.
_SORTED_JSON = json.JSONEncoder(sort_keys=True).encode


def _digest(values: list[Any]) -> Digest:
    return hashlib.blake2b(_SORTED_JSON(values).encode(), digest_size=16).digest()


def summarize(official: Reported, candidate: Reported) -> CorrectionSummary:
    before, after = official.lines, candidate.lines
    added = after.keys() - before.keys()
    removed = before.keys() - after.keys()
    changed = {key for key in before.keys() & after.keys() if before[key][1] != after[key][1]}
    old, new = official.money, candidate.money
    return CorrectionSummary(
        entries_affected=len({(after.get(key) or before[key])[0] for key in added | removed | changed}),
        lines_added=len(added),
        lines_removed=len(removed),
        lines_changed=len(changed),
        value_delta_cents=new["value"] - old["value"],
        duty_delta_cents=new["duty"] - old["duty"],
        mpf_delta_cents=new["mpf"] - old["mpf"],
        hmf_delta_cents=new["hmf"] - old["hmf"],
    )


def is_empty(summary: CorrectionSummary) -> bool:
    """Nothing reported would change: no line added, removed or changed, no total moved."""
    return not any(summary.model_dump().values())


def describe_inputs(
    official: Mapping[str, str], candidate: Mapping[str, str], versions: Mapping[str, tuple[str, str]]
) -> str:
    """Which inputs differ, for a person: `transactions 3f1c9a7e52d0 → 9a2b41c07d13`. `versions`
    holds (official, candidate) of the code and configuration versions."""
    changes = [
        f"{name} {official.get(name, 'none')[:12]} → {candidate.get(name, 'none')[:12]}"
        for name in sorted(official.keys() | candidate.keys())
        if official.get(name) != candidate.get(name)
    ]
    changes += [f"{what} version {old} → {new}" for what, (old, new) in versions.items() if old != new]
    return "; ".join(changes) or "no input changed"
