"""The OData v2 system query options the mock honours, parsed into one value.

`$filter` accepts comparisons of one of the entity's date fields (ZSDR002: ZZARRIVAL, as the
ingestion extracts it, or FKDAT) with `datetime'...'` literals joined by `and` (`ge`, `gt`, `le`,
`lt`, `eq`); rows hold dates, so each comparison narrows an inclusive range of day ordinals. That
range may be put in parentheses and followed by `or <field> eq null`, which also selects the rows
whose date is unset (served as null); no other `or` is read.
`$skiptoken` is the mock's own: the number of rows already served."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
_OR_UNSET = re.compile(r"\((?P<within>.+)\)\s+or\s+(?P<field>[A-Za-z_]\w*)\s+eq\s+null", re.IGNORECASE)
_COMPARISON = re.compile(
    r"\(?\s*([A-Za-z_]\w*)\s+(eq|ge|gt|le|lt)\s+datetime'(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)'\s*\)?",
    re.IGNORECASE,
)
_SUPPORTED = {"$format", "$filter", "$top", "$skip", "$skiptoken", "$inlinecount"}
_FAR = date.max.toordinal()


class QueryError(ValueError):
    """A query the mock cannot answer; the client gets a 400 with this text."""


@dataclass(frozen=True)
class DateFilter:
    """The rows a `$filter` selects: those whose `field` is dated within an inclusive range of day
    ordinals, and those where it is unset when `include_unset`."""

    field: str
    ordinal_range: tuple[int, int]
    include_unset: bool = False


@dataclass(frozen=True)
class Query:
    dates: DateFilter | None = None  # None: every row
    top: int | None = None
    skip: int = 0
    skiptoken: int = 0
    inlinecount: bool = False


def parse_query(params: Mapping[str, str], date_fields: tuple[str, ...]) -> Query:
    unsupported = sorted(k for k in params if k.startswith("$") and k not in _SUPPORTED)
    if unsupported:
        raise QueryError(f"the mock SAP does not support {', '.join(unsupported)}")
    if params.get("$format", "json").lower() != "json":
        raise QueryError("the mock SAP answers $format=json only")
    inlinecount = params.get("$inlinecount", "none").lower()
    if inlinecount not in ("none", "allpages"):
        raise QueryError(f"$inlinecount must be allpages or none, not {inlinecount!r}")
    raw_filter = params.get("$filter")
    return Query(
        dates=None if raw_filter is None else parse_filter(raw_filter, date_fields),
        top=_count(params, "$top"),
        skip=_count(params, "$skip") or 0,
        skiptoken=_count(params, "$skiptoken") or 0,
        inlinecount=inlinecount == "allpages",
    )


def parse_filter(text: str, date_fields: tuple[str, ...]) -> DateFilter:
    """`ZZARRIVAL ge datetime'...' and ZZARRIVAL le datetime'...'` → the inclusive range of date
    ordinals; `(… range …) or ZZARRIVAL eq null` → that range and the undated rows. One field per
    filter, one of `date_fields`."""
    if not date_fields:
        raise QueryError("this entity set has no date field to filter on")
    text = text.strip()
    first = _COMPARISON.search(text)
    date_field = first.group(1) if first is not None and first.group(1) in date_fields else date_fields[0]
    unset = _OR_UNSET.fullmatch(text)
    if unset is not None:
        field = unset.group("field")
        if field != date_field:
            raise QueryError(f"$filter on {field} is not supported; filter on {_either(date_fields)}")
        text = unset.group("within").strip()
    if _OR.search(text):
        raise QueryError(f"the mock SAP reads `or` only as `(<{date_field} range>) or {date_field} eq null`")
    return DateFilter(
        date_field, _ordinal_range(text, date_field, date_fields), include_unset=unset is not None
    )


def _either(fields: tuple[str, ...]) -> str:
    return " or ".join(fields)


def _ordinal_range(text: str, date_field: str, date_fields: tuple[str, ...]) -> tuple[int, int]:
    """Comparisons of `date_field` joined by `and` → the inclusive range of date ordinals."""
    low, high = 1, _FAR
    for clause in _AND.split(text):
        match = _COMPARISON.fullmatch(clause.strip())
        if match is None:
            raise QueryError(f"cannot read the $filter clause {clause!r}")
        field, op, day, clock = match.groups()
        if field not in date_fields:
            raise QueryError(f"$filter on {field} is not supported; filter on {_either(date_fields)}")
        if field != date_field:
            raise QueryError(f"$filter on {field} and {date_field} at once is not supported")
        try:
            literal = datetime.fromisoformat(f"{day}T{clock}")
        except ValueError:
            raise QueryError(f"bad datetime literal in {clause!r}") from None
        ordinal, at_midnight = literal.toordinal(), literal.time() == datetime.min.time()
        # A row's date is midnight of its day; compare that instant with the literal.
        op = op.lower()
        if op == "eq":
            low, high = (max(low, ordinal), min(high, ordinal)) if at_midnight else (1, 0)
        elif op == "ge":
            low = max(low, ordinal if at_midnight else ordinal + 1)
        elif op == "gt":
            low = max(low, ordinal + 1)
        elif op == "le":
            high = min(high, ordinal)
        else:  # lt
            high = min(high, ordinal - 1 if at_midnight else ordinal)
    return low, high


def _count(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise QueryError(f"{name} must be a non-negative integer, not {raw!r}")
    return int(raw)
