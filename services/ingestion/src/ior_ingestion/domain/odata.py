"""OData v2 literals as SAP Gateway writes them, and the normalised strings the pipeline keeps.

Dates arrive as `/Date(<ms since the epoch>)/`, optionally with an offset in minutes
(`/Date(1741478400000+0060)/`). As in the Microsoft JSON date format OData v2 uses, the
milliseconds are UTC whatever the offset says; the offset only records the writer's local zone.
Amounts arrive as decimal strings and MATNR ALPHA-converted (an all-digit value zero-padded to the
field's length): both are kept as SAP sent them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from types import NoneType
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DATE_PREFIX = "/Date("

_DATE_LITERAL = re.compile(r"/Date\((-?\d{1,15})(?:[+-](\d{4}))?\)/")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,29}")
_MAX_OFFSET_MINUTES = 24 * 60
# A page's `__next` link, when it ends the page (as SAP Gateway writes it), within its last 8 KiB.
NEXT_TAIL = 8 * 1024
NEXT_AT_END = re.compile(rb'"__next"\s*:\s*("(?:[^"\\]|\\.)*")\s*\}\s*\}\s*$')


class ODataValueError(ValueError):
    """A value is not a valid literal of its OData type."""


class InvalidDateLiteralError(ODataValueError):
    """A string is not an OData v2 `/Date(ms)/` literal, or lies outside the calendar."""


# --- dates -----------------------------------------------------------------------------------


def parse_datetime(literal: str) -> datetime:
    """`/Date(ms)/` or `/Date(ms±mmmm)/` → the UTC instant it names."""
    match = _DATE_LITERAL.fullmatch(literal)
    if match is None:
        raise InvalidDateLiteralError(f"not an OData date literal: {literal!r}")
    offset = match.group(2)
    if offset is not None and int(offset) > _MAX_OFFSET_MINUTES:
        raise InvalidDateLiteralError(f"offset of more than a day in {literal!r}")
    try:
        return EPOCH + timedelta(milliseconds=int(match.group(1)))
    except OverflowError:
        raise InvalidDateLiteralError(f"date out of range: {literal!r}") from None


def parse_date(literal: str) -> date:
    """`/Date(ms)/` → the UTC calendar date."""
    return parse_datetime(literal).date()


def to_iso(literal: str) -> str:
    """`/Date(ms)/` → `YYYY-MM-DD` at midnight UTC (SAP dates), else `YYYY-MM-DDTHH:MM:SS[.fff]Z`."""
    instant = parse_datetime(literal)
    if instant.hour == instant.minute == instant.second == instant.microsecond == 0:
        return instant.date().isoformat()
    spec = "milliseconds" if instant.microsecond else "seconds"
    return instant.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def datetime_literal(value: date | datetime) -> str:
    """A date or an aware datetime → the `$filter` literal `datetime'YYYY-MM-DDTHH:MM:SS'` (UTC)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidDateLiteralError(f"naive datetime {value!r}: give it a time zone")
        value = value.astimezone(UTC)
        return f"datetime'{value:%Y-%m-%dT%H:%M:%S}'"
    return f"datetime'{value.isoformat()}T00:00:00'"


def window_filter(field: str, from_date: date, to_date: date) -> str:
    """`$filter` selecting the rows whose date `field` lies in [from_date, to_date], and the rows
    whose date is unset (null, SAP's initial date): no window holds those, so without them a row
    SAP left undated would never be extracted and could not be quarantined. Such a row comes again
    with every extract until SAP dates it; consumers keep one copy per key."""
    if not _FIELD.fullmatch(field):
        raise ODataValueError(f"not an OData property name: {field!r}")
    if from_date > to_date:
        raise ODataValueError(f"window starts {from_date} after it ends {to_date}")
    within = f"{field} ge {datetime_literal(from_date)} and {field} le {datetime_literal(to_date)}"
    return f"({within}) or {field} eq null"


# --- records ---------------------------------------------------------------------------------


_iso_cached = lru_cache(maxsize=1 << 16)(to_iso)
_DROP = object()
_DATE_PREFIX_BYTES = DATE_PREFIX.encode()


def normalise_rows(rows: list[Any], raw: bytes | None = None) -> list[dict[str, Any]]:
    """One page's results, in place: `/Date(ms)/` → ISO, null → `""`, `__metadata` and deferred
    navigation links dropped; every other value kept as SAP sent it. `raw`, the page's JSON text
    (without a trailing `__next` link), lets most pages skip looking at every value (see
    `_normalise_hinted`)."""
    if not rows:
        return rows
    if set(map(type, rows)) != {dict}:
        bad = next(r for r in rows if r.__class__ is not dict)
        raise ODataValueError(f"a result is not an object: {str(bad)[:80]!r}")
    for row in rows:
        row.pop("__metadata", None)
    if raw is not None and _normalise_hinted(rows, _rows_text(raw)):
        return rows
    return _normalise_columns(rows)


def _rows_text(raw: bytes) -> bytes:
    """The page's text without its trailing `__next` link, which repeats the query (`… eq null`):
    counted with the rows, it would defeat `_normalise_hinted`'s proof on every page but the last."""
    tail = NEXT_AT_END.search(raw, max(0, len(raw) - NEXT_TAIL))
    return raw if tail is None else raw[: tail.start()]


def _normalise_hinted(rows: list[dict[str, Any]], raw: bytes) -> bool:
    """Rewrite only the columns whose first value is a date or null, then prove from the page's
    text that nothing else needed it: every `/Date(` and every `null` in the text must have been
    rewritten. A miscount (say a description mentioning null) returns False and changes nothing."""
    if b"__deferred" in raw:
        return False
    first = rows[0]
    columns = [k for k, v in first.items() if v is None or (v.__class__ is str and v.startswith(DATE_PREFIX))]
    rewritten: list[tuple[str, list[Any]]] = []
    dates = nulls = 0
    for key in columns:
        try:
            column = [row[key] for row in rows]
        except KeyError:
            return False
        try:
            values = list(map(_iso_cached, column))  # the common case: every value a date literal
            dates += len(values)
        except (InvalidDateLiteralError, TypeError):
            values = [_normalise_value(key, v) for v in column]
            dates += sum(1 for v in column if v.__class__ is str and v.startswith(DATE_PREFIX))
            nulls += column.count(None)
        rewritten.append((key, values))
    if dates != raw.count(_DATE_PREFIX_BYTES) or nulls != raw.count(b"null"):
        return False
    for key, values in rewritten:
        for row, value in zip(rows, values, strict=True):
            row[key] = value
    return True


def _normalise_columns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = list(rows[0])
    # An entity set's rows share one shape, so work a column at a time: the scans run in C and
    # only the columns that need it (dates, nulls, links) are rewritten row by row.
    if len(keys) < 2 or len(set(map(len, rows))) != 1:
        return _normalise_each(rows)
    try:
        columns = list(zip(*map(itemgetter(*keys), rows), strict=True))
    except KeyError:
        return _normalise_each(rows)
    for key, column in zip(keys, columns, strict=True):
        kinds = set(map(type, column))
        if kinds == {str} and not any(map(str.startswith, column, repeat(DATE_PREFIX))):
            continue
        if kinds == {str, NoneType} and not any(
            map(str.startswith, filter(None, column), repeat(DATE_PREFIX))
        ):
            values = ["" if v is None else v for v in column]  # text with blanks: no call per value
        else:
            values = [_normalise_value(key, v) for v in column]
        for row, value in zip(rows, values, strict=True):
            if value is _DROP:
                del row[key]
            else:
                row[key] = value
    return rows


def _normalise_each(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        for key, value in list(row.items()):
            normalised = _normalise_value(key, value)
            if normalised is _DROP:
                del row[key]
            elif normalised is not value:
                row[key] = normalised
    return rows


def _normalise_value(key: str, value: Any) -> Any:
    if value.__class__ is str:
        if value.startswith(DATE_PREFIX):
            try:
                return _iso_cached(value)
            except InvalidDateLiteralError as exc:
                raise InvalidDateLiteralError(f"{key}: {exc}") from None
        return value
    if value is None:
        return ""
    if value.__class__ is dict and "__deferred" in value:
        return _DROP
    return value
