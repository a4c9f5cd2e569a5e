"""What a candidate run of a closed date would change in its official lines (a post-summary
correction). Lines are the same line when they share (entry, HTS10, origin, part, stack) — the key
the processor consolidates on — and changed when a reported figure differs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ior_contracts.customs import CorrectionSummary

REPORTED = ("description", "quantity", "net_kg", "gross_kg", "value", "rates", "duties", "duty")

LineKey = tuple[str, str, str, str, tuple[str, ...]]


def _lines(run: Mapping[str, Any]) -> dict[LineKey, dict[str, Any]]:
    return {
        (entry["entry_id"], line["hts10"], line["origin"], line["part"], tuple(line["stack"])): line
        for entry in run["entries"]
        for line in entry["lines"]
    }


def _cents(amount: str | None) -> int:
    return 0 if amount is None else int(Decimal(amount) * 100)


def money_totals(run: Mapping[str, Any]) -> dict[str, int]:
    """Entered value, duty, MPF and HMF over the run's entries, in cents."""
    totals = [entry["totals"] for entry in run["entries"]]
    return {
        "value": sum(int(t["value"]) * 100 for t in totals),
        **{fee: sum(_cents(t[fee]) for t in totals) for fee in ("duty", "mpf", "hmf")},
    }


def summarize(official: Mapping[str, Any], candidate: Mapping[str, Any]) -> CorrectionSummary:
    """Both runs as the processor's canonical records (`Result.to_records()`)."""
    before, after = _lines(official), _lines(candidate)
    added = after.keys() - before.keys()
    removed = before.keys() - after.keys()
    changed = {
        key for key in before.keys() & after.keys() if any(before[key][f] != after[key][f] for f in REPORTED)
    }
    old, new = money_totals(official), money_totals(candidate)
    return CorrectionSummary(
        entries_affected=len({key[0] for key in added | removed | changed}),
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
