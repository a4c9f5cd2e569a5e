"""How two official HTS revisions differ, statistical line by statistical line: a line only in the
revision in force is `removed`, one only in the new revision `added`; a line in both may have its
unit changed (as the company table writes units, so `["kg", "No."]` and `["No.", "kg"]` are one
unit) or its general rate text (the one that applies after inheritance from the rows above it).
The company's HTS numbers that changed are what people need to see; the counts are over the whole
schedule."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ior_etl.domain.official_hts import OfficialLine, OfficialRevision

REMOVED, ADDED, UNIT_CHANGED, RATE_CHANGED = "removed", "added", "unit_changed", "rate_changed"
KINDS = (REMOVED, ADDED, UNIT_CHANGED, RATE_CHANGED)
SCHEMA_VERSION = "hts-revision-changes/1"


@dataclass(frozen=True)
class LineChange:
    hts10: str
    kinds: tuple[str, ...]
    before: OfficialLine | None
    after: OfficialLine | None


def _state(line: OfficialLine | None) -> dict[str, str] | None:
    return None if line is None else {"unit": line.unit_text, "general": line.general}


@dataclass(frozen=True)
class RevisionChanges:
    previous: str
    revision: str
    lines: tuple[LineChange, ...]
    """Every statistical line that changed, by HTS number."""

    def count(self, kind: str) -> int:
        return sum(1 for change in self.lines if kind in change.kinds)

    def for_codes(self, codes: Iterable[str]) -> tuple[LineChange, ...]:
        wanted = set(codes)
        return tuple(change for change in self.lines if change.hts10 in wanted)

    def report(self, codes: Iterable[str]) -> bytes:
        """The whole comparison as canonical JSON, the company's numbers marked."""
        wanted = sorted(set(codes))
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "previous_revision": self.previous,
            "revision": self.revision,
            "counts": {kind: self.count(kind) for kind in KINDS},
            "company_codes": wanted,
            "lines": [
                {
                    "hts10": c.hts10,
                    "changes": list(c.kinds),
                    "before": _state(c.before),
                    "after": _state(c.after),
                    "company_code": c.hts10 in set(wanted),
                }
                for c in self.lines
            ],
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compare_revisions(previous: OfficialRevision, revision: OfficialRevision) -> RevisionChanges:
    changes = []
    for hts10 in sorted(previous.lines.keys() | revision.lines.keys()):
        before, after = previous.lines.get(hts10), revision.lines.get(hts10)
        kinds: tuple[str, ...]
        if after is None:
            kinds = (REMOVED,)
        elif before is None:
            kinds = (ADDED,)
        else:
            kinds = tuple(
                kind
                for kind, differs in (
                    (UNIT_CHANGED, before.unit_text != after.unit_text),
                    (RATE_CHANGED, before.general != after.general),
                )
                if differs
            )
        if kinds:
            changes.append(LineChange(hts10, kinds, before, after))
    return RevisionChanges(previous.label, revision.label, tuple(changes))
