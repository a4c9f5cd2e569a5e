"""One page of OData v2 JSON, as SAP Gateway writes it, built from the stored lines' own text.

Rows are not decoded and encoded again: each line gets its `__metadata` spliced in front, and
each date field's ISO values become `"\\/Date(ms)\\/"` (blank → null) by one substitution per
field over the whole page. That keeps a page of 5000 rows at a few milliseconds. A line whose
keys cannot be read that way (escapes in a key value) is decoded as a fallback."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import quote

from ior_tools.sap_mock.catalog import EntityFile, decoded, value_pattern

_EPOCH = date(1970, 1, 1).toordinal()
_ISO_DATE = re.compile(rb"\d{4}-\d{2}-\d{2}")
_INITIAL_DATE = b"0000-00-00"


class PageRenderer:
    """Renders pages of one entity set, served under `entity_url`."""

    def __init__(self, entity: EntityFile, entity_url: str) -> None:
        config = entity.config
        # Our own URL, so nothing in it needs escaping inside a JSON string.
        self._entity_url = entity_url.encode()
        self._keys = [(f.encode(), value_pattern(f), f in entity.date_fields) for f in config.key_fields]
        self._type = json.dumps(f"{config.service}.{config.name}Type").encode()
        self._dates = [value_pattern(f) for f in entity.date_fields]
        self._date_cache: dict[bytes, bytes] = {}

    def page(self, lines: list[bytes], *, first_row: int, count: int | None, next_url: str | None) -> bytes:
        head = b'{"d":{' + (b'"__count":"%d",' % count if count is not None else b"") + b'"results":['
        rows = b",".join([self._row(line, first_row + i) for i, line in enumerate(lines)])
        for pattern in self._dates:
            rows = pattern.sub(self._date, rows)
        tail = b"]" + (b',"__next":' + json.dumps(next_url).encode() if next_url else b"") + b"}}"
        return head + rows + tail

    def _row(self, line: bytes, number: int) -> bytes:
        uri = b'"' + self._entity_url + self._key_predicate(line, number) + b'"'
        rest = line[1:].lstrip()
        separator = b"" if rest.startswith(b"}") else b","
        return (
            b'{"__metadata":{"id":'
            + uri
            + b',"uri":'
            + uri
            + b',"type":'
            + self._type
            + b"}"
            + separator
            + rest
        )

    def _key_predicate(self, line: bytes, number: int) -> bytes:
        if not self._keys:
            return b"(%d)" % number
        parts = []
        for field, pattern, is_date in self._keys:
            match = pattern.search(line)
            if match is None:
                return self._key_predicate_decoded(line, number)
            parts.append(field + b"=" + _key_literal(match.group(2), is_date))
        if len(parts) == 1:
            return b"(" + parts[0].partition(b"=")[2] + b")"
        return b"(" + b",".join(parts) + b")"

    def _key_predicate_decoded(self, line: bytes, number: int) -> bytes:
        row = decoded(line)
        values = [(field, str(row.get(field.decode(), "")), is_date) for field, _, is_date in self._keys]
        if not all(value for _, value, _ in values):
            return b"(%d)" % number
        literals = [_key_literal(value.encode(), is_date) for _, value, is_date in values]
        if len(literals) == 1:
            return b"(" + literals[0] + b")"
        return (
            b"(" + b",".join(f + b"=" + lit for (f, _, _), lit in zip(values, literals, strict=True)) + b")"
        )

    def _date(self, match: re.Match[bytes]) -> bytes:
        whole = match.group(0)
        rendered = self._date_cache.get(whole)
        if rendered is None:
            field, value = match.group(1), match.group(2)
            rendered = self._date_cache[whole] = b'"' + field + b'":' + _date_literal(value)
        return rendered


def _date_literal(value: bytes) -> bytes:
    """An ISO date as SAP's JSON writes it; blank or SAP's initial date (0000-00-00) as null. A value
    that is no date at all is served as stored, as a broken row would be."""
    if not value or value == _INITIAL_DATE:
        return b"null"
    if _ISO_DATE.fullmatch(value):
        try:
            days = date.fromisoformat(value.decode()).toordinal() - _EPOCH
        except ValueError:
            return b'"' + value + b'"'
        return b'"\\/Date(%d)\\/"' % (days * 86_400_000)
    return b'"' + value + b'"'


def _key_literal(value: bytes, is_date: bool) -> bytes:
    """A key's value in a URI: `'text'` (quotes doubled, percent-encoded) or `datetime'...'`."""
    if is_date:
        return b"datetime'" + value + b"T00%3A00%3A00'"
    if value.isalnum():
        return b"'" + value + b"'"
    return b"'" + quote(value.decode().replace("'", "''"), safe="").encode() + b"'"
