"""Each discrepancy explained: the expected (manual) and actual (automated) line or entry side by side
— every compared field with the differing ones marked, both HTS stacks number by number with the
rate, duty and provision rows of each, both lineages — and the dataset cells that differ between the
two runs' inputs (`inputs`), which is the cause rather than the symptom.

The document (`compare-explanation/1`, canonical JSON) covers at most `limit` discrepancies, lines
before entries, in the report's order; `total` says how many there were."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from ior_compare.domain.inputs import MAX_DIFFERENCES, SideInputs, differing_rows
from ior_compare.domain.report_json import canonical_json, table
from ior_compare.domain.result import ComparisonResult

SCHEMA_VERSION = "compare-explanation/1"
MAX_EXPLAINED = 200
LINE_FIELDS = ("stack", "rates", "quantity", "value", "duty", "net_kg", "gross_kg", "description")
ENTRY_FIELDS = ("entry_value", "entry_duty", "mpf", "hmf", "formal", "flags")


@dataclass(frozen=True)
class RunDocument:
    """One run's published lines document: the dataset versions and fee table its lineage names, and
    its entries, each parsed from `text` (at its `spans`, by entry id) only when asked for: an
    explanation reads at most a few hundred entries of a document that may hold a million lines."""

    datasets: Mapping[str, str] = field(default_factory=dict)
    fee_table: str | None = None
    text: str | bytes = ""
    """The document's text, or its UTF-8 bytes (the spans are then byte offsets)."""
    spans: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def cite(self, entry_ids: Iterable[str]) -> None:
        """Nothing to read ahead: the whole text is here."""

    def entry(self, entry_id: str) -> dict[str, Any] | None:
        span = self.spans.get(entry_id)
        return None if span is None else _parsed(self.text[span[0] : span[1]])

    def line(self, entry_id: str, number: int | None) -> dict[str, Any] | None:
        return _line_of(self.entry(entry_id), number)


class DocumentParts(Protocol):
    """A run's lines document read in part."""

    def read(self, entry_ids: Collection[str]) -> tuple[Mapping[str, Any], dict[str, bytes]]:
        """The document's head (at least its fields before the entries: its dataset versions and
        fee table) and the texts of the entries named that it has, from one pass over the document."""
        ...


class LazyRunDocument:
    """A run's document read only when an explanation first asks anything of it, and then only in
    part: its head and the entries the explanation cites (`cite`), taken in one pass over the
    document without holding its whole text (half a gigabyte uncompressed at a million lines)."""

    def __init__(self, parts: DocumentParts) -> None:
        self._parts = parts
        self._head: Mapping[str, Any] | None = None
        self._texts: dict[str, bytes] = {}
        self._asked: set[str] = set()

    def cite(self, entry_ids: Iterable[str]) -> None:
        """Read the entries named (those not read before) and the head, if not read yet."""
        new = set(entry_ids) - self._asked
        if new or self._head is None:
            self._head, texts = self._parts.read(new)
            self._texts.update(texts)
            self._asked |= new

    @property
    def datasets(self) -> Mapping[str, str]:
        return dict(self._read_head().get("datasets", {}))

    @property
    def fee_table(self) -> str | None:
        found: str | None = self._read_head().get("config_version")
        return found

    def entry(self, entry_id: str) -> dict[str, Any] | None:
        self.cite([entry_id])
        text = self._texts.get(entry_id)
        return None if text is None else _parsed(text)

    def line(self, entry_id: str, number: int | None) -> dict[str, Any] | None:
        return _line_of(self.entry(entry_id), number)

    def _read_head(self) -> Mapping[str, Any]:
        self.cite(())
        assert self._head is not None  # read by `cite`
        return self._head


def _parsed(text: str | bytes) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(text)
    return found


def _line_of(entry: dict[str, Any] | None, number: int | None) -> dict[str, Any] | None:
    lines = (entry or {}).get("lines", [])
    return next((line for line in reversed(lines) if line["line"] == number), None)


CitedDocument = RunDocument | LazyRunDocument
"""What an explanation cites of a run."""


def explain(
    result: ComparisonResult,
    expected: CitedDocument,
    actual: CitedDocument,
    inputs: Mapping[str, SideInputs],
    *,
    metadata: Mapping[str, str | int | bool | None],
    limit: int = MAX_EXPLAINED,
) -> dict[str, Any]:
    """The explanation document; `inputs` holds the `expected` and `actual` runs' dataset versions."""
    mismatches = _mismatches_by_item(result.mismatches)
    lines, entries = _differing(result)
    shown_lines, shown_entries = _shown(lines, entries, limit)
    cited = _entry_ids(shown_lines, shown_entries)
    expected.cite(cited)
    actual.cite(cited)
    rows = _records(shown_lines)
    sides = [_line_sides(row, expected, actual) for row in rows]
    _read_ahead(sides, inputs)
    explained = [_line(row, pair, inputs, mismatches) for row, pair in zip(rows, sides, strict=True)]
    for row in _records(shown_entries):
        explained.append(_entry(row, expected, actual, mismatches))
    for number, item in enumerate(explained, start=1):
        item["id"] = str(number)
    return {
        "schema_version": SCHEMA_VERSION,
        "metadata": dict(metadata),
        "passed": result.passed,
        "failure_reasons": list(result.failure_reasons()),
        "worst_fields": [summary.as_dict() for summary in result.worst_fields],
        "total": len(lines) + len(entries),
        "datasets": {"expected": expected.datasets, "actual": actual.datasets},
        "fee_tables": {"expected": expected.fee_table, "actual": actual.fee_table},
        "unreadable": {side: dict(found.unreadable) for side, found in inputs.items() if found.unreadable},
        "discrepancies": explained,
    }


def explained_entry_ids(result: ComparisonResult, limit: int = MAX_EXPLAINED) -> list[str]:
    """The entries an explanation of `result` cites, in its order: what to read of each run first."""
    return _entry_ids(*_shown(*_differing(result), limit))


def _entry_ids(shown_lines: pd.DataFrame, shown_entries: pd.DataFrame) -> list[str]:
    ids = [*shown_lines["entry_id"].tolist(), *shown_entries["entry_id"].tolist()]
    return list(dict.fromkeys(map(str, ids)))


def _differing(result: ComparisonResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        result.lines[result.lines["outcome"] != "match"],
        result.entries[result.entries["outcome"] != "match"],
    )


def _shown(lines: pd.DataFrame, entries: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The differing lines and entries explained: at most `limit`, lines first."""
    shown_lines = lines.head(limit)
    return shown_lines, entries.head(max(0, limit - len(shown_lines)))


def to_json(document: dict[str, Any]) -> bytes:
    return canonical_json(document)


def _line_sides(
    row: dict[str, Any], expected: CitedDocument, actual: CitedDocument
) -> dict[str, dict[str, Any] | None]:
    entry_id = str(row["entry_id"])
    return {
        "expected": _line_side(expected.line(entry_id, _number(row["expected_line"]))),
        "actual": _line_side(actual.line(entry_id, _number(row["actual_line"]))),
    }


def _line(
    row: dict[str, Any],
    sides: dict[str, dict[str, Any] | None],
    inputs: Mapping[str, SideInputs],
    mismatches: Mapping[tuple[Any, ...], list[dict[str, Any]]],
) -> dict[str, Any]:
    entry_id = str(row["entry_id"])
    differing = mismatches.get(
        ("line", entry_id, _number(row["expected_line"]), _number(row["actual_line"])), []
    )
    return {
        "level": "line",
        "entry_id": entry_id,
        "hts10": str(row["hts10"]),
        "origin": str(row["origin"]),
        "part": str(row["part"]),
        "outcome": str(row["outcome"]),
        "critical": bool(row["critical"]),
        "expected_line": _number(row["expected_line"]),
        "actual_line": _number(row["actual_line"]),
        "fields": _fields(LINE_FIELDS, sides, differing),
        "sides": sides,
        "input_differences": _input_differences(sides, inputs),
    }


def _entry(
    row: dict[str, Any],
    expected: CitedDocument,
    actual: CitedDocument,
    mismatches: Mapping[tuple[Any, ...], list[dict[str, Any]]],
) -> dict[str, Any]:
    entry_id = str(row["entry_id"])
    sides = {
        "expected": _entry_side(expected.entry(entry_id)),
        "actual": _entry_side(actual.entry(entry_id)),
    }
    return {
        "level": "entry",
        "entry_id": entry_id,
        "hts10": None,
        "origin": None,
        "part": None,
        "outcome": str(row["outcome"]),
        "critical": bool(row["critical"]),
        "expected_line": None,
        "actual_line": None,
        "fields": _fields(ENTRY_FIELDS, sides, mismatches.get(("entry", entry_id, None, None), [])),
        "sides": sides,
        "input_differences": [],
    }


def _line_side(line: dict[str, Any] | None) -> dict[str, Any] | None:
    if line is None:
        return None
    provisions = line.get("lineage", {}).get("provisions", {})
    duties = line.get("duties", {})
    return {
        "line": line["line"],
        "description": line.get("description"),
        "stack": [
            {
                "number": number,
                "rate": line["rates"].get(number),
                "duty": duties.get(number),
                "provision_rows": provisions.get(number),
            }
            for number in line["stack"]
        ],
        "values": {
            "stack": " ".join(line["stack"]),
            "rates": " ".join(line["rates"][number] for number in line["stack"]),
            "quantity": ", ".join(f"{amount} {unit}" for unit, amount in sorted(line["quantity"].items())),
            "value": str(line["value"]),
            "duty": line["duty"],
            "net_kg": _text(line.get("net_kg")),
            "gross_kg": _text(line.get("gross_kg")),
            "description": line.get("description"),
        },
        "sources": [[str(document), int(item)] for document, item in line.get("sources", [])],
        "source_materials": _source_materials(line),
        "datasets": dict(line.get("lineage", {}).get("datasets", {})),
    }


def _source_materials(line: dict[str, Any]) -> list[str | None]:
    """The SAP material of each invoice item, in the order of `sources`; null for every item of a run
    published before its lines carried them."""
    sources, materials = line.get("sources", []), line.get("source_materials")
    if isinstance(materials, list) and len(materials) == len(sources):
        return [None if material is None else str(material) for material in materials]
    return [None] * len(sources)


def _entry_side(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    totals = entry["totals"]
    return {
        "line": None,
        "description": None,
        "stack": [],
        "values": {
            "entry_value": str(totals["value"]),
            "entry_duty": totals["duty"],
            "mpf": totals.get("mpf"),
            "hmf": totals.get("hmf"),
            "formal": "true" if entry.get("formal") else "false",
            "flags": ";".join(entry.get("flags", [])),
        },
        "sources": [],
        "source_materials": [],
        "datasets": {key: str(value) for key, value in entry.get("lineage", {}).items() if value is not None},
    }


def _fields(
    names: tuple[str, ...], sides: Mapping[str, dict[str, Any] | None], differing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every compared field of the item: both values, and for the differing ones the report's delta,
    tolerance and criticality."""
    found = {mismatch["field"]: mismatch for mismatch in differing}
    expected, actual = sides["expected"], sides["actual"]
    fields = []
    for name in names:
        mismatch = found.get(name)
        fields.append(
            {
                "field": name,
                "expected": expected["values"].get(name) if expected else None,
                "actual": actual["values"].get(name) if actual else None,
                "differs": mismatch is not None,
                "delta": mismatch["delta"] if mismatch else None,
                "tolerance": mismatch["tolerance"] if mismatch else None,
                "critical": bool(mismatch["critical"]) if mismatch else False,
            }
        )
    return fields


Keys = set[tuple[str, ...]]


def _behind(sides: Mapping[str, dict[str, Any] | None]) -> tuple[Keys, set[str], Keys]:
    """What a line rests on: its HTS number, its chapter 99 numbers put there by provision rows, and
    the invoice items consolidated into it, on either side."""
    present = [side for side in sides.values() if side is not None]
    hts: Keys = {(side_hts,) for side in present for side_hts in _hts_digits(side)}
    codes = {entry["number"] for side in present for entry in side["stack"] if entry["provision_rows"]}
    items: Keys = {(str(document), str(item)) for side in present for document, item in side["sources"]}
    return hts, codes, items


def _read_ahead(every: list[dict[str, dict[str, Any] | None]], inputs: Mapping[str, SideInputs]) -> None:
    """Every row the explained lines rest on, asked for at once: a version is read in one pass for
    all of them (its rows stay found), not once per line."""
    hts: Keys = set()
    codes: set[str] = set()
    items: Keys = set()
    for sides in every:
        line_hts, line_codes, line_items = _behind(sides)
        hts |= line_hts
        codes |= line_codes
        items |= line_items
    _differences(hts, codes, items, inputs)


def _input_differences(
    sides: Mapping[str, dict[str, Any] | None], inputs: Mapping[str, SideInputs]
) -> list[dict[str, Any]]:
    """The dataset cells behind the line that differ between the two runs' versions: its HTS
    number's reference row, the provision rows of every chapter 99 number either side applied, the
    invoice items consolidated into it and their materials' product rows."""
    return _differences(*_behind(sides), inputs)[:MAX_DIFFERENCES]


def _differences(
    hts: Keys, codes: set[str], items: Keys, inputs: Mapping[str, SideInputs]
) -> list[dict[str, Any]]:
    if "expected" not in inputs or "actual" not in inputs:
        return []

    def pair(dataset: str) -> tuple[Any, Any]:
        return inputs["expected"].snapshots.get(dataset), inputs["actual"].snapshots.get(dataset)

    def differ(dataset: str) -> bool:
        expected, actual = pair(dataset)
        return expected is not None and actual is not None and not expected.same_rows(actual)

    found = differing_rows("hts-reference", ("hts10",), hts, *pair("hts-reference"))
    # The rows asked for are looked up only when the two versions can differ at all.
    if differ("tariff-provisions"):
        found += differing_rows(
            "tariff-provisions",
            ("code", "seq"),
            _provision_keys(codes, *pair("tariff-provisions")),
            *pair("tariff-provisions"),
        )
    found += differing_rows("transactions", ("document", "item"), items, *pair("transactions"))
    if differ("product-master"):
        materials = _materials(items, *pair("transactions"))
        found += differing_rows("product-master", ("material",), materials, *pair("product-master"))
    return found


def _hts_digits(side: dict[str, Any]) -> list[str]:
    """The line's own HTS number (last in its stack), as the datasets write it: ten digits."""
    return [side["stack"][-1]["number"].replace(".", "")] if side["stack"] else []


def _provision_keys(codes: set[str], *snapshots: Any) -> Keys:
    keys: Keys = set()
    for snapshot in snapshots:
        if snapshot is not None:
            keys |= {(row["code"], row["seq"]) for row in snapshot.rows_with("code", codes) if "seq" in row}
    return keys


def _materials(items: set[tuple[str, ...]], *snapshots: Any) -> set[tuple[str, ...]]:
    materials: set[tuple[str, ...]] = set()
    for snapshot in snapshots:
        if snapshot is not None:
            materials |= {
                (row["material"],) for row in snapshot.rows_where(("document", "item"), items).values()
            }
    return materials


def _mismatches_by_item(mismatches: pd.DataFrame) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in _records(mismatches):
        line_level = row["level"] == "line"
        key = (
            row["level"],
            str(row["entry_id"]),
            _number(row["expected_line"]) if line_level else None,
            _number(row["actual_line"]) if line_level else None,
        )
        grouped.setdefault(key, []).append(row)
    return grouped


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as plain Python values, null as None (as the JSON report writes them)."""
    shown = table(frame)
    return [dict(zip(shown["columns"], row, strict=True)) for row in shown["rows"]]


def _number(value: Any) -> int | None:
    return None if value is None else int(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
