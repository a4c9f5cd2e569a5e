"""Staging an extract on local disk before it is landed: pages streamed into a deterministic gzip
JSON Lines file (memory O(page)), checksummed as they are written. Nothing is landed until every
page has arrived."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from types import NoneType
from typing import Any, BinaryIO

import orjson

from ior_ingestion.ports import StagedExtract

RAW_SCHEMA_VERSION = "sap-jsonl-1"
HTS_SCHEMA_VERSION = "usitc-json-1"
# Keys stay in SAP's order (the extract is stored as received); one encoder for every row, as
# building one per row costs more than encoding the row.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_PLAIN = frozenset({str, int, bool, NoneType})
_BOUNDARY = b'},{"'


class _HashingWriter:
    """A file that hashes what is written to it, so the checksum costs no second read."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self._raw.write(data)

    def flush(self) -> None:
        self._raw.flush()


def stage_pages(pages: Iterable[list[dict[str, Any]]], directory: Path | None = None) -> StagedExtract:
    """Write every page, one JSON object per line into gzip with mtime 0: the same rows give the
    same bytes. The file is removed if a page fails."""
    fd, name = tempfile.mkstemp(suffix=".jsonl.gz", dir=directory)
    path, rows, count = Path(name), 0, 0
    try:
        with os.fdopen(fd, "wb") as raw:
            hashing = _HashingWriter(raw)
            # Level 1: a third of level 6's time for a little more size; raw extracts are read once.
            with gzip.GzipFile(fileobj=hashing, mode="wb", mtime=0, filename="", compresslevel=1) as gz:
                for page in pages:
                    count += 1
                    rows += len(page)
                    gz.write(json_lines(page))
        return StagedExtract(path, hashing.digest.hexdigest(), rows, count, RAW_SCHEMA_VERSION, "jsonl.gz")
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def json_lines(page: list[dict[str, Any]]) -> bytes:
    """The page's rows, one JSON text per line, as `json.dumps(row, separators=(",", ":"),
    ensure_ascii=False)` writes them. The page is encoded in one call and cut between its rows, where
    `},{"` stands: a string cannot hold that text (its quote is escaped) and every boundary between
    non-empty objects is exactly that, so when the page holds it once per boundary, every cut is one.
    Otherwise (an empty row, a nested list of objects) each row is encoded alone."""
    if not page:
        return b""
    if all(page):
        text = _page_json(page)
        if text.count(_BOUNDARY) == len(page) - 1:
            return text[1:-1].replace(_BOUNDARY, b'}\n{"') + b"\n"
    return "".join([_ENCODE(row) + "\n" for row in page]).encode()


def _page_json(page: list[dict[str, Any]]) -> bytes:
    """The page as one JSON array. Plain values (text, integers, booleans, nulls: what SAP sends once
    normalised) are encoded by orjson, in a seventh of the standard encoder's time, to the same bytes;
    any other value (a float, whose exponent the two write apart) or one orjson refuses (an integer
    beyond 64 bits) leaves the page to the standard encoder."""
    if set(map(type, chain.from_iterable(map(dict.values, page)))) <= _PLAIN:
        try:
            return orjson.dumps(page)
        except orjson.JSONEncodeError:
            pass
    return _ENCODE(page).encode()


def stage_bytes(
    chunks: Iterable[bytes], rows: int, suffix: str, directory: Path | None = None
) -> StagedExtract:
    """A source fetched as a file (the HTS export): stored byte for byte."""
    fd, name = tempfile.mkstemp(suffix="." + suffix, dir=directory)
    path, digest = Path(name), hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
        return StagedExtract(path, digest.hexdigest(), rows, 1, HTS_SCHEMA_VERSION, suffix)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


class TempFileStaging:
    """Stages extracts as temporary files, in `directory` or the system's temporary directory."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory

    def stage_pages(self, pages: Iterable[list[dict[str, Any]]]) -> StagedExtract:
        return stage_pages(pages, self._directory)

    def stage_bytes(self, chunks: Iterable[bytes], rows: int, suffix: str) -> StagedExtract:
        return stage_bytes(chunks, rows, suffix, self._directory)

    def discard(self, staged: StagedExtract) -> None:
        staged.path.unlink(missing_ok=True)
