"""The customs lines of a run, from the objects its `customs.lines.generated.v1` points at, into
the comparison's frames (`domain.frames`).

The customs service publishes the processor's canonical JSON, gzip-compressed: entries by
`entry_id`, each with `formal`, `flags`, `totals` (value in whole dollars; duty, mpf and hmf as
decimal text, mpf and hmf null when informal or missing) and its `lines` (`line`, dotted `hts10`,
`description`, `origin`, `part`, `stack` in reporting order, `quantity` keyed by unit, `net_kg`,
`gross_kg`, `value` in whole dollars, `rates` and `duties` keyed by HTS number, `duty`). The
document is checked against that shape field by field, so a change on the customs side fails here,
naming the field, rather than turning into differences."""

from __future__ import annotations

import gzip
import re
from datetime import date
from typing import Annotated, Any, Literal, Protocol

import pandas as pd
from ior_contracts.claims import ClaimCheck
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ior_compare.domain.frames import validate_entries, validate_lines
from ior_compare.domain.records import RunRecord
from ior_compare.ports import RunFrames

_GZIP_MAGIC = b"\x1f\x8b"
_MONEY = r"^-?[0-9]+\.[0-9]{2}$"
Money = Annotated[str, Field(pattern=_MONEY)]
_CENTS = re.compile(_MONEY)


class LinesShapeError(ValueError):
    """A run's published lines do not have the shape the comparison reads."""


class _Strict(BaseModel):
    # Unknown fields (lineage, sources, duties…) are ignored; every field read here is required.
    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


class Line(_Strict):
    line: int
    hts10: str = Field(min_length=1)
    description: str | None
    origin: str = Field(min_length=1)
    part: Literal["whole", "non_metal", "metal"]
    stack: list[str] = Field(min_length=1)
    quantity: dict[str, int]
    net_kg: int | None
    gross_kg: int | None
    value: int
    rates: dict[str, str]
    duty: Money

    @model_validator(mode="after")
    def _a_rate_per_number(self) -> Line:
        if set(self.rates) != set(self.stack) or len(set(self.stack)) != len(self.stack):
            raise ValueError(
                f"rates {sorted(self.rates)} do not name each number of the stack {self.stack} once"
            )
        return self


class Totals(_Strict):
    value: int
    duty: Money
    mpf: Money | None
    hmf: Money | None


class Entry(_Strict):
    entry_id: str = Field(min_length=1)
    formal: bool
    flags: list[str]
    totals: Totals


class EntryWithLines(Entry):
    lines: list[Line]


class EntriesDocument(_Strict):
    business_date: date = Field(strict=False)
    entries: list[Entry]


class LinesDocument(_Strict):
    business_date: date = Field(strict=False)
    entries: list[EntryWithLines]


class ClaimReader(Protocol):
    def read(self, claim: ClaimCheck) -> bytes: ...


class PublishedLines:
    """Reads a run's objects (checksums verified by `objects`) and maps them into frames."""

    def __init__(self, objects: ClaimReader) -> None:
        self._objects = objects

    def load(self, run: RunRecord) -> RunFrames:
        document = _json_text(self._objects.read(run.lines), run.lines.uri)
        lines_doc = parse(document, LinesDocument, run.lines.uri)
        # The entries usually travel in the same object as their lines; read a separate one only.
        entries_doc: EntriesDocument | LinesDocument = lines_doc
        if run.entries.uri != run.lines.uri or run.entries.sha256 != run.lines.sha256:
            entries_doc = parse(self._objects.read(run.entries), EntriesDocument, run.entries.uri)
        for doc, uri in ((lines_doc, run.lines.uri), (entries_doc, run.entries.uri)):
            if doc.business_date != run.business_date:
                raise LinesShapeError(f"{uri} holds {doc.business_date}, the run is for {run.business_date}")
        frames = RunFrames(lines_frame(lines_doc), entries_frame(entries_doc.entries), document)
        _check_count(run.lines, len(frames.lines), "lines")
        _check_count(run.entries, len(frames.entries), "entries")
        return frames


def parse(body: bytes, model: type[LinesDocument] | type[EntriesDocument], uri: str) -> Any:
    """The document in `body` (gzip or plain JSON), checked against `model`."""
    try:
        text = gzip.decompress(body) if body.startswith(_GZIP_MAGIC) else body
        return model.model_validate_json(text)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc']))}: {error['msg']}" for error in exc.errors()[:5]
        )
        raise LinesShapeError(f"{uri} is not the customs lines document: {problems}") from None
    except (OSError, EOFError) as exc:
        raise LinesShapeError(f"{uri} is not valid gzip: {exc}") from None


def _json_text(body: bytes, uri: str) -> bytes:
    try:
        return gzip.decompress(body) if body.startswith(_GZIP_MAGIC) else body
    except (OSError, EOFError) as exc:
        raise LinesShapeError(f"{uri} is not valid gzip: {exc}") from None


def lines_frame(doc: LinesDocument) -> pd.DataFrame:
    columns: dict[str, list[Any]] = {name: [] for name in _LINE_COLUMNS}
    for entry in doc.entries:
        for line in entry.lines:
            columns["entry_id"].append(entry.entry_id)
            columns["line"].append(line.line)
            columns["hts10"].append(line.hts10)
            columns["origin"].append(line.origin)
            columns["part"].append(line.part)
            columns["stack"].append(";".join(line.stack))
            columns["rates"].append(";".join(line.rates[number] for number in line.stack))
            columns["quantity"].append(quantity_text(line.quantity))
            columns["value"].append(line.value)
            columns["duty_cents"].append(cents(line.duty))
            columns["net_kg"].append(line.net_kg)
            columns["gross_kg"].append(line.gross_kg)
            columns["description"].append(line.description)
    frame = pd.DataFrame(
        {name: pd.array(values, dtype=_LINE_COLUMNS[name]) for name, values in columns.items()}
    )
    return validate_lines(frame)


def entries_frame(entries: list[Entry] | list[EntryWithLines]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "entry_id": pd.array([e.entry_id for e in entries], dtype="str"),
            "value": pd.array([e.totals.value for e in entries], dtype="Int64"),
            "duty_cents": pd.array([cents(e.totals.duty) for e in entries], dtype="Int64"),
            "mpf_cents": pd.array([cents(e.totals.mpf) for e in entries], dtype="Int64"),
            "hmf_cents": pd.array([cents(e.totals.hmf) for e in entries], dtype="Int64"),
            "formal": pd.array([e.formal for e in entries], dtype="boolean"),
            "flags": pd.array([";".join(e.flags) for e in entries], dtype="str"),
        }
    )
    return validate_entries(frame)


def quantity_text(quantity: dict[str, int]) -> str | None:
    """`No.=3;kg=12`: units in code-point order (`No.` before `kg`); None when there is none."""
    return ";".join(f"{unit}={amount}" for unit, amount in sorted(quantity.items())) or None


def cents(money: str | None) -> int | None:
    """Decimal text with two places (`-12.34`) as integer cents."""
    if money is None:
        return None
    if not _CENTS.match(money):
        raise LinesShapeError(f"{money!r} is not an amount with two decimal places")
    whole, fraction = money.lstrip("-").split(".")
    value = int(whole) * 100 + int(fraction)
    return -value if money.startswith("-") else value


def _check_count(claim: ClaimCheck, found: int, what: str) -> None:
    if claim.row_count != found:
        raise LinesShapeError(f"{claim.uri} holds {found} {what}, its claim check says {claim.row_count}")


_LINE_COLUMNS: dict[str, str] = {
    "entry_id": "str",
    "line": "Int64",
    "hts10": "str",
    "origin": "str",
    "part": "str",
    "stack": "str",
    "rates": "str",
    "quantity": "str",
    "value": "Int64",
    "duty_cents": "Int64",
    "net_kg": "Int64",
    "gross_kg": "Int64",
    "description": "str",
}
