"""Deterministic snapshots: a dataset frame → the bytes `ior_contracts.datasets` specifies, their
SHA-256, a content-addressed version id and the version's manifest; and the way back.

Same frame, same bytes: rows sorted by the key, cells in their canonical text (decimals without
exponent or trailing zeros), `\\n` line ends, gzip with mtime 0 and no file name."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ior_contracts.dataset_members import MEMBER_ROWS, Members
from ior_contracts.datasets import (
    DATASETS,
    FORMAT,
    REFERENCE_TABLES,
    SCHEMA_VERSION,
    DatasetSchema,
    schema_of,
)
from isal import isal_zlib

from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.snapshot_text import csv_blocks, frame_order, snapshot_text
from ior_etl.domain.typed import parse_column

# ISA-L's level 1: a million-row day's transactions are ~120 MB of text, which zlib deflated in 2.0 s
# at level 6 and 0.53 s at level 1 (to 20 MB), and ISA-L in 0.14 s (to 17.5 MB); readers inflate any
# of them. The compressor is no part of the format: any gzip reader reads the bytes.
GZIP_LEVEL = 1
_GZIP_WBITS = 31  # a gzip header and trailer around the deflate stream
VERSION_LENGTH = 24


class SnapshotError(ValueError):
    """Bytes that are not a snapshot of a known dataset."""


@dataclass(frozen=True)
class Snapshot:
    dataset: str
    data: bytes
    sha256: str
    rows: int
    members: Members | None = None
    """Where its rows are among its gzip members, for the manifest."""


@dataclass(frozen=True)
class InputChecksum:
    """One input a version was built from: an extract, an uploaded file, another dataset."""

    name: str
    sha256: str
    uri: str | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _schema(dataset: str | DatasetSchema) -> DatasetSchema:
    return dataset if isinstance(dataset, DatasetSchema) else schema_of(dataset)


def snapshot_csv(frame: pd.DataFrame, dataset: str | DatasetSchema) -> bytes:
    """The uncompressed CSV: header, then rows sorted by the key, every cell canonical text."""
    return b"".join(csv_blocks(frame, _schema(dataset)))


def snapshot_order(frame: pd.DataFrame, dataset: str | DatasetSchema) -> np.ndarray:
    """The positions of the frame's rows in the order the snapshot writes them: by the key, stably."""
    return frame_order(frame, _schema(dataset))


def gzip_members(pieces: Iterable[bytes]) -> tuple[bytes, list[int]]:
    """Each piece its own gzip member (ISA-L's deflate at `GZIP_LEVEL`, the piece given whole, so
    the bytes depend on the pieces alone), and where each member starts, then the end."""
    members: list[bytes] = []
    offsets = [0]
    for piece in pieces:
        members.append(isal_zlib.compress(piece, GZIP_LEVEL, _GZIP_WBITS))
        offsets.append(offsets[-1] + len(members[-1]))
    return b"".join(members), offsets


def write_snapshot(
    frame: pd.DataFrame, dataset: str | DatasetSchema, member_rows: int = MEMBER_ROWS
) -> Snapshot:
    return write_ordered_snapshot(frame, dataset, member_rows)[0]


def write_ordered_snapshot(
    frame: pd.DataFrame, dataset: str | DatasetSchema, member_rows: int = MEMBER_ROWS
) -> tuple[Snapshot, np.ndarray]:
    """The snapshot, and the positions of the frame's rows in the order it writes them: its origins
    companion is written in that order, which need not be found twice. The header is a gzip member
    of its own, then every `member_rows` rows (`ior_contracts.dataset_members`)."""
    schema = _schema(dataset)
    text = snapshot_text(frame, schema, piece_rows=member_rows)
    data, offsets = gzip_members(text.blocks)
    firsts = None if text.firsts is None else tuple(first.encode("utf-8") for first in text.firsts)
    members = Members(member_rows, tuple(offsets), firsts)
    return Snapshot(schema.name, data, sha256_hex(data), len(frame), members), text.order


def read_snapshot(data: bytes, dataset: str | DatasetSchema | None = None) -> pd.DataFrame:
    """Snapshot bytes → the typed frame. Without `dataset`, the header says which one it is."""
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise SnapshotError(f"not a gzip-compressed UTF-8 snapshot ({exc})") from None
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    schema = _schema(dataset) if dataset is not None else _schema_for(tuple(header))
    if tuple(header) != schema.names:
        raise SnapshotError(f"{schema.name}: header {header} is not {list(schema.names)}")
    cells = pd.read_csv(io.StringIO(text), dtype="str", keep_default_na=False, na_filter=False)
    return pd.DataFrame({c.name: parse_column(cells[c.name].astype("str"), c) for c in schema.columns})


def _schema_for(header: tuple[str, ...]) -> DatasetSchema:
    for schema in (*DATASETS.values(), *REFERENCE_TABLES.values()):
        if schema.names == header:
            return schema
    raise SnapshotError(f"header {list(header)} is not that of any dataset")


def _canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def version_id(
    build: DatasetBuild,
    snapshot: Snapshot,
    inputs: Sequence[InputChecksum],
    code_version: str,
    config_version: str,
) -> str:
    """A hash of what made the version — inputs, code, configuration, rules — and of its content."""
    key = {
        "dataset": build.dataset,
        "mode": build.mode,
        "schema_version": SCHEMA_VERSION,
        "inputs": sorted((i.name, i.sha256) for i in inputs),
        "code_version": code_version,
        "config_version": config_version,
        "rules": list(build.validation.rule_names),
        "content": snapshot.sha256,
    }
    return hashlib.sha256(_canonical_json(key)).hexdigest()[:VERSION_LENGTH]


def manifest_inputs(inputs: Sequence[InputChecksum]) -> list[InputChecksum]:
    """The inputs in the order the manifest lists them."""
    return sorted(inputs, key=lambda i: (i.name, i.sha256))


def manifest(
    build: DatasetBuild,
    snapshot: Snapshot,
    *,
    inputs: Sequence[InputChecksum],
    code_version: str,
    policy: HoldPolicy | None = None,
) -> dict[str, Any]:
    """The version's manifest: what it is, what made it, and what was rejected on the way."""
    policy = policy or HoldPolicy()
    config_version = policy.version()
    outcome = build.outcome
    return {
        "dataset": build.dataset,
        "mode": build.mode,
        "version": version_id(build, snapshot, inputs, code_version, config_version),
        "schema_version": SCHEMA_VERSION,
        "format": FORMAT,
        "key": list(build.schema.key),
        "columns": list(build.schema.names),
        "rows": snapshot.rows,
        "sha256": snapshot.sha256,
        **({"members": snapshot.members.described()} if snapshot.members is not None else {}),
        "inputs": [
            {"name": i.name, "sha256": i.sha256, **({"uri": i.uri} if i.uri else {})}
            for i in manifest_inputs(inputs)
        ],
        "code_version": code_version,
        "config_version": config_version,
        "threshold": str(outcome.threshold),
        "rules": list(build.validation.rule_names),
        "status": outcome.status,
        "total_rows": outcome.total_rows,
        "rejected_rows": outcome.rejected_rows,
        "rule_counts": {k: v for k, v in build.validation.rule_counts.items() if v},
        "flags": dict(sorted(build.flags.items())),
    }
