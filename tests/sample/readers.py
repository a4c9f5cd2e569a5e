"""Strict readers for the generated files, used by the tests to check formats while parsing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> list[dict[str, str]]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record: dict[str, Any] = json.loads(line)
        assert all(isinstance(value, str) for value in record.values()), line
        records.append(record)
    return records


def read_legacy_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Parse a legacy CSV, asserting the pinned dialect: BOM, CRLF only, minimal quoting."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no byte-order mark"
    text = raw[3:].decode("utf-8")
    assert text.endswith("\r\n"), f"{path.name}: last line not CRLF-terminated"
    assert "\n" not in text.replace("\r\n", ""), f"{path.name}: a bare LF"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    # Quoting: writing the parsed rows back with minimal quoting must give the very same bytes.
    again = io.StringIO(newline="")
    csv.writer(again, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    assert again.getvalue() == text, f"{path.name}: quoting is not minimal csv quoting"
    assert all(len(row) == len(header) for row in body), f"{path.name}: ragged rows"
    return header, [dict(zip(header, row, strict=True)) for row in body]
