"""The customs lines of a run, from the objects its `customs.lines.generated.v1` points at, into
the comparison's frames (`domain.frames`).

The customs service publishes the processor's canonical JSON, gzip-compressed: entries by
`entry_id`, each with `formal`, `flags`, `totals` (value in whole dollars; duty, mpf and hmf as
decimal text, mpf and hmf null when informal or missing) and its `lines` (`line`, dotted `hts10`,
`description`, `origin`, `part`, `stack` in reporting order, `quantity` keyed by unit, `net_kg`,
`gross_kg`, `value` in whole dollars, `rates` and `duties` keyed by HTS number, `duty`). The
document is checked against that shape field by field, so a change on the customs side fails here,
naming the field, rather than turning into differences.

The document is read an entry at a time (`json_stream`) into the fields the comparison reads, and
checked a column at a time once every line is read. Our customs service wrote it and its SHA-256 is
checked before it is read, so it is trusted not to be hostile: its shape is checked, but no model is
made per line (a pydantic model per line, then a frame of them, cost more than the comparison).
Only one entry is whole as Python objects at a time; an explanation parses again only the few
entries it cites (`RunDocument`).

A run published with its compared columns (`line_columns`, `entry_columns` on the event) is read
from them instead (`line_columns`), or from their arrays where it has them (`line_arrays`):
the JSON document is then read only when an explanation cites the run, and only in part, at the
entries it cites, where the entry columns say they are (`document_parts`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from operator import itemgetter
from typing import Any

import pandas as pd
from ior_contracts.claims import ClaimCheck
from ior_contracts.inflated import GZIP_MAGIC, InflateError, inflate_members
from ior_contracts.side_by_side import each

from ior_compare.adapters.document_parts import ClaimReader, DocumentParts
from ior_compare.adapters.json_stream import JsonStreamError, read_object
from ior_compare.adapters.line_arrays import (
    ENTRY_VERSIONS,
    LINE_VERSIONS,
    read_entry_arrays,
    read_line_arrays,
)
from ior_compare.adapters.line_columns import read_entry_columns, read_line_columns
from ior_compare.domain.explanation import LazyRunDocument, RunDocument
from ior_compare.domain.frames import PARTS, validate_entries, validate_lines
from ior_compare.domain.records import RunRecord
from ior_compare.ports import LinesShapeError, RunFrames

__all__ = ["LinesShapeError", "PublishedLines", "read_document"]

_CENTS = re.compile(r"-?[0-9]+\.[0-9]{2}")
_NONE = type(None)

ENTRY_FIELDS = ("entry_id", "formal", "flags", "totals")
TOTAL_FIELDS = ("value", "duty", "mpf", "hmf")
LINE_FIELDS = (
    "line", "hts10", "description", "origin", "part", "stack", "rates", "quantity", "value", "duty",
    "net_kg", "gross_kg",
)  # fmt: skip


@dataclass(frozen=True)
class ReadDocument:
    """A lines (or entries) document in the comparison's frames; `lines` is None for an entries
    document, whose entries have a line count instead of their lines. `cited` is what an
    explanation reads of it."""

    business_date: date
    entries: pd.DataFrame
    lines: pd.DataFrame | None
    cited: RunDocument


class PublishedLines:
    """Reads a run's objects (checksums verified by `objects`) and maps them into frames."""

    def __init__(self, objects: ClaimReader) -> None:
        self._objects = objects

    def load(self, run: RunRecord) -> RunFrames:
        return self.load_all([run])[0]

    def load_all(self, runs: Sequence[RunRecord]) -> list[RunFrames]:
        """Each run's frames. The objects they are read from are fetched first, side by side: each
        fetch waits on S3, and its checksum is computed outside the interpreter's lock. The frames
        are then made one run at a time, so no two runs' parsing is in memory at once."""
        wanted = [(claim.uri, claim.sha256, claim) for run in runs for claim in _read_from(run)]
        claims = {(uri, sha256): claim for uri, sha256, claim in wanted}
        bodies = dict(zip(claims, each(self._objects.read, claims.values()), strict=True))
        fetched = _Fetched(bodies, [(uri, sha256) for uri, sha256, _ in wanted])
        return [self._load(run, fetched) for run in runs]

    def _load(self, run: RunRecord, fetched: _Fetched) -> RunFrames:
        if run.line_columns is not None and run.entry_columns is not None:
            return self._load_columns(run, run.line_columns, run.entry_columns, fetched)
        lines_doc = read_document(fetched.take(run.lines), run.lines.uri)
        # The entries usually travel in the same object as their lines; read a separate one only.
        entries_doc = lines_doc
        if _separate_entries(run):
            entries_doc = read_document(fetched.take(run.entries), run.entries.uri, lines=False)
        for doc, uri in ((lines_doc, run.lines.uri), (entries_doc, run.entries.uri)):
            if doc.business_date != run.business_date:
                raise LinesShapeError(f"{uri} holds {doc.business_date}, the run is for {run.business_date}")
        assert lines_doc.lines is not None  # read with its lines
        frames = RunFrames(lines_doc.lines, entries_doc.entries, lines_doc.cited)
        _check_count(run.lines, len(frames.lines), "lines")
        _check_count(run.entries, len(frames.entries), "entries")
        return frames

    def _load_columns(
        self, run: RunRecord, line_columns: ClaimCheck, entry_columns: ClaimCheck, fetched: _Fetched
    ) -> RunFrames:
        """The frames from the run's compared columns (their arrays, where the run has them in a
        version this reads, else the CSV of runs published before the arrays); the lines document
        is read only if an explanation cites the run, and then parsed only at the entries it cites."""
        lines_from, entries_from = _line_claim(run, line_columns), _entry_claim(run, entry_columns)
        if lines_from.schema_version in LINE_VERSIONS:
            lines = read_line_arrays(fetched.take(lines_from), lines_from.uri, lines_from.schema_version)
        else:
            lines = read_line_columns(fetched.take(lines_from), lines_from.uri)
        body = fetched.take(entries_from)
        if entries_from.schema_version in ENTRY_VERSIONS:
            entries, spans = read_entry_arrays(body, entries_from.uri, entries_from.schema_version)
        else:
            entries, spans = read_entry_columns(body, entries_from.uri, entries_from.schema_version)
        for claim in (lines_from, run.lines):
            _check_count(claim, len(lines), "lines")
        for claim in (entries_from, run.entries):
            _check_count(claim, len(entries), "entries")
        return RunFrames(lines, entries, LazyRunDocument(DocumentParts(self._objects, run.lines, spans)))


class _Fetched:
    """Objects fetched ahead, by (URI, SHA-256), each held until the last of its readers takes it."""

    def __init__(self, bodies: dict[tuple[str, str], bytes], wanted: Iterable[tuple[str, str]]) -> None:
        self._bodies = bodies
        self._readers = Counter(wanted)

    def take(self, claim: ClaimCheck) -> bytes:
        key = (claim.uri, claim.sha256)
        self._readers[key] -= 1
        return self._bodies[key] if self._readers[key] > 0 else self._bodies.pop(key)


def _read_from(run: RunRecord) -> list[ClaimCheck]:
    """The objects a run's frames are made from."""
    if run.line_columns is not None and run.entry_columns is not None:
        return [_line_claim(run, run.line_columns), _entry_claim(run, run.entry_columns)]
    return [run.lines, run.entries] if _separate_entries(run) else [run.lines]


def _line_claim(run: RunRecord, line_columns: ClaimCheck) -> ClaimCheck:
    arrays = run.line_arrays
    return arrays if arrays is not None and arrays.schema_version in LINE_VERSIONS else line_columns


def _entry_claim(run: RunRecord, entry_columns: ClaimCheck) -> ClaimCheck:
    arrays = run.entry_arrays
    return arrays if arrays is not None and arrays.schema_version in ENTRY_VERSIONS else entry_columns


def _separate_entries(run: RunRecord) -> bool:
    return run.entries.uri != run.lines.uri or run.entries.sha256 != run.lines.sha256


def read_document(body: bytes, uri: str, *, lines: bool = True) -> ReadDocument:
    """The document in `body` (gzip or plain JSON) as frames, its shape checked; with `lines=False`
    an entries document (the entries' lines are not read)."""
    columns = _Columns(with_lines=lines)
    try:
        text = _json_text(body, uri).decode()
        head = read_object(text, "entries", columns.add)
        business_date = date.fromisoformat(_present(head, "business_date", str))
        entries = columns.entries_frame()
        line_frame = columns.lines_frame() if lines else None
    except UnicodeDecodeError as exc:
        raise LinesShapeError(f"{uri} is not UTF-8 JSON: {exc}") from None
    except JsonStreamError as exc:
        raise LinesShapeError(f"{uri} is not JSON: {exc}") from None
    except _ShapeError as exc:
        raise LinesShapeError(f"{uri} is not the customs lines document: {exc}") from None
    except ValueError as exc:  # the business date
        raise LinesShapeError(f"{uri} is not the customs lines document: business_date: {exc}") from None
    cited = RunDocument(
        datasets=dict(head.get("datasets", {})),
        fee_table=head.get("config_version"),
        text=text,
        spans=columns.spans,
    )
    return ReadDocument(business_date, entries, line_frame, cited)


def _json_text(body: bytes, uri: str) -> bytes:
    try:
        # Not `gzip.decompress`, which copies what follows each member: quadratic over hundreds.
        return inflate_members(body) if body.startswith(GZIP_MAGIC) else body
    except InflateError as exc:
        raise LinesShapeError(f"{uri} is not valid gzip: {exc}") from None


class _ShapeError(ValueError):
    """A field is missing or of another kind; the message names where."""


class _Columns:
    """The fields the comparison reads, gathered an entry at a time; checked once all are read."""

    def __init__(self, *, with_lines: bool) -> None:
        self._with_lines = with_lines
        self._entries: list[tuple[Any, ...]] = []
        self._lines: list[tuple[Any, ...]] = []
        self._counts: list[int] = []
        self.spans: dict[str, tuple[int, int]] = {}
        """Where each entry is in the document, by id."""

    def add(self, entry: Any, start: int, end: int) -> None:
        where = f"entries.{len(self._entries)}"
        entry_id, formal, flags, totals = _fields(entry, ENTRY_FIELDS, where)
        self._entries.append((entry_id, formal, flags, *_fields(totals, TOTAL_FIELDS, f"{where}.totals")))
        if not self._with_lines:
            return
        lines = _present(entry, "lines", list, where)
        self.spans[entry_id] = (start, end)
        for j, line in enumerate(lines):
            self._lines.append((entry_id, *_fields(line, LINE_FIELDS, f"{where}.lines.{j}")))
        self._counts.append(len(lines))

    def entries_frame(self) -> pd.DataFrame:
        entry_id, formal, flags, value, duty, mpf, hmf = _transposed(self._entries, 7)
        at = _EntryPlace()
        _require(entry_id, at, "entry_id", _non_empty_text, passes=_texts(entry_id, empty=False))
        _require(formal, at, "formal", _kind(bool), passes=_kinds(formal) <= {bool})
        flags_text = _mapped(flags, at, "flags", _joined_texts)
        frame = pd.DataFrame(
            {
                "entry_id": pd.array(entry_id, dtype="str"),
                "value": _integers(value, at, "totals.value"),
                "duty_cents": _cents(duty, at, "totals.duty"),
                "mpf_cents": _cents(mpf, at, "totals.mpf", optional=True),
                "hmf_cents": _cents(hmf, at, "totals.hmf", optional=True),
                "formal": pd.array(formal, dtype="boolean"),
                "flags": pd.array(flags_text, dtype="str"),
            }
        )
        return validate_entries(frame)

    def lines_frame(self) -> pd.DataFrame:
        (
            entry_id, line, hts10, description, origin, part, stack, rates, quantity, value, duty, net_kg,
            gross_kg,
        ) = _transposed(self._lines, 1 + len(LINE_FIELDS))  # fmt: skip
        at = _LinePlace(self._counts)
        for name, values in (("hts10", hts10), ("origin", origin)):
            _require(values, at, name, _non_empty_text, passes=_texts(values, empty=False))
        _require(
            description, at, "description", _kind(str, _NONE), passes=_kinds(description) <= {str, _NONE}
        )
        _require(part, at, "part", _one_of(PARTS), passes=_texts(part) and set(part) <= set(PARTS))
        stacks = _mapped(stack, at, "stack", _stack_text)
        rates_text = [_rates_text(s, r, at, k) for k, (s, r) in enumerate(zip(stack, rates, strict=True))]
        frame = pd.DataFrame(
            {
                "entry_id": pd.array(entry_id, dtype="str"),
                "line": _integers(line, at, "line"),
                "hts10": pd.array(hts10, dtype="str"),
                "origin": pd.array(origin, dtype="str"),
                "part": pd.array(part, dtype="str"),
                "stack": pd.array(stacks, dtype="str"),
                "rates": pd.array(rates_text, dtype="str"),
                "quantity": pd.array(_mapped(quantity, at, "quantity", _quantity_text), dtype="str"),
                "value": _integers(value, at, "value"),
                "duty_cents": _cents(duty, at, "duty"),
                "net_kg": _integers(net_kg, at, "net_kg", optional=True),
                "gross_kg": _integers(gross_kg, at, "gross_kg", optional=True),
                "description": pd.array(description, dtype="str"),
            }
        )
        return validate_lines(frame)


def _fields(found: Any, names: tuple[str, ...], where: str) -> tuple[Any, ...]:
    if not isinstance(found, dict):
        raise _ShapeError(f"{where}: must be an object")
    try:
        values: tuple[Any, ...] = itemgetter(*names)(found)
    except KeyError as missing:
        raise _ShapeError(f"{where}.{missing.args[0]}: Field required") from None
    return values


def _present(found: dict[str, Any], name: str, kind: type, where: str = "") -> Any:
    value = found.get(name)
    if type(value) is not kind:
        place = f"{where}.{name}" if where else name
        raise _ShapeError(f"{place}: must be {kind.__name__}, found {type(value).__name__}")
    return value


def _transposed(rows: list[tuple[Any, ...]], width: int) -> list[Sequence[Any]]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


class _EntryPlace:
    def __call__(self, k: int, name: str) -> str:
        return f"entries.{k}.{name}"


class _LinePlace:
    """The `entries.i.lines.j` of the k-th line of the document."""

    def __init__(self, counts: list[int]) -> None:
        self._ends = list(accumulate(counts))

    def __call__(self, k: int, name: str) -> str:
        i = next(i for i, end in enumerate(self._ends) if k < end)
        start = self._ends[i - 1] if i else 0
        return f"entries.{i}.lines.{k - start}.{name}"


Place = Callable[[int, str], str]
Check = Callable[[Any], str | None]


def _require(values: Sequence[Any], at: Place, name: str, check: Check, *, passes: bool = False) -> None:
    """Raise naming the first value `check` finds a problem with (it returns the problem); `passes`:
    the whole column was seen to be right at once, so no value need be checked alone."""
    if passes:
        return
    for k, value in enumerate(values):
        problem = check(value)
        if problem is not None:
            raise _ShapeError(f"{at(k, name)}: {problem}")


def _kinds(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))


def _texts(values: Sequence[Any], *, empty: bool = True) -> bool:
    """Every value is text (and, with `empty=False`, none is empty)."""
    return _kinds(values) <= {str} and (empty or "" not in values)


def _kind(*kinds: type) -> Check:
    allowed = frozenset(kinds)
    names = " or ".join("null" if kind is _NONE else kind.__name__ for kind in kinds)
    return lambda value: None if type(value) in allowed else f"must be {names}, found {value!r}"


def _one_of(choices: tuple[str, ...]) -> Check:
    allowed = frozenset(choices)
    return lambda value: None if value in allowed else f"must be one of {', '.join(choices)}, found {value!r}"


def _non_empty_text(value: Any) -> str | None:
    return (
        None if type(value) is str and value else f"must be text of at least one character, found {value!r}"
    )


def _mapped(values: Sequence[Any], at: Place, name: str, convert: Callable[[Any], Any]) -> list[Any]:
    """Each value converted; a value `convert` refuses (TypeError, ValueError) fails naming it."""
    try:
        return [convert(value) for value in values]
    except (TypeError, ValueError):
        for k, value in enumerate(values):
            try:
                convert(value)
            except (TypeError, ValueError) as exc:
                raise _ShapeError(f"{at(k, name)}: {exc}") from None
        raise


def _joined_texts(values: Any) -> str:
    if type(values) is not list:
        raise TypeError(f"must be a list of text, found {values!r}")
    return ";".join(values)


def _stack_text(stack: Any) -> str:
    if type(stack) is not list or not stack:
        raise TypeError(f"must be a list of at least one HTS number, found {stack!r}")
    return ";".join(stack)


def _rates_text(stack: list[str], rates: Any, at: Place, k: int) -> str:
    """The rate of each number of the stack, in its order; the rates name each number once."""
    if type(rates) is not dict or rates.keys() != set(stack) or len(rates) != len(stack):
        shown = sorted(rates) if isinstance(rates, dict) else rates
        raise _ShapeError(
            f"{at(k, 'rates')}: rates {shown} do not name each number of the stack {stack} once"
        )
    try:
        return ";".join([rates[number] for number in stack])
    except TypeError:
        raise _ShapeError(f"{at(k, 'rates')}: every rate must be text, found {rates}") from None


def _quantity_text(quantity: Any) -> str | None:
    if type(quantity) is not dict or not _kinds(quantity.values()) <= {int}:
        raise TypeError(f"must be whole amounts keyed by unit, found {quantity!r}")
    return quantity_text(quantity)


def quantity_text(quantity: dict[str, int]) -> str | None:
    """`No.=3;kg=12`: units in code-point order (`No.` before `kg`); None when there is none."""
    return ";".join(f"{unit}={amount}" for unit, amount in sorted(quantity.items())) or None


def _integers(
    values: Sequence[Any], at: Place, name: str, *, optional: bool = False
) -> pd.api.extensions.ExtensionArray:
    kinds = (int, _NONE) if optional else (int,)
    _require(values, at, name, _kind(*kinds), passes=_kinds(values) <= set(kinds))
    return pd.array(values, dtype="Int64")


def _cents(
    values: Sequence[Any], at: Place, name: str, *, optional: bool = False
) -> pd.api.extensions.ExtensionArray:
    """Decimal text with two places (`-12.34`) as integer cents."""
    present = [value for value in values if value is not None] if optional else values
    if _texts(present) and all(map(_CENTS.fullmatch, present)):
        return pd.array([None if m is None else int(m.replace(".", "")) for m in values], dtype="Int64")
    return pd.array(_mapped(values, at, name, _cents_of if optional else _required_cents), dtype="Int64")


def _required_cents(money: Any) -> int:
    if money is None:
        raise TypeError("must be an amount with two decimal places, found None")
    return cents(money)


def _cents_of(money: Any) -> int | None:
    return None if money is None else cents(money)


def cents(money: str) -> int:
    """Decimal text with two places (`-12.34`) as integer cents."""
    if type(money) is not str or not _CENTS.fullmatch(money):
        raise ValueError(f"{money!r} is not an amount with two decimal places")
    return int(money.replace(".", ""))


def _check_count(claim: ClaimCheck, found: int, what: str) -> None:
    if claim.row_count != found:
        raise LinesShapeError(f"{claim.uri} holds {found} {what}, its claim check says {claim.row_count}")
