"""The ETL's published dataset versions a run's lineage names, read to explain a discrepancy by its
inputs: `etl/published/<dataset>/<mode>/<version>/manifest.json` first, then the snapshot beside it,
verified against the manifest's SHA-256 and checked to be a gzip CSV, and the origins of its rows
(`origins.csv.gz`) when the manifest names them. Rows are parsed as text cells (HTS numbers keep
their zeros) only when asked for by key: an explanation needs a few hundred of a million, and where
the manifest says which gzip members hold which rows (`ior_contracts.dataset_members`) only those
members are inflated."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ior_contracts.dataset_members import Members

from ior_compare.domain.csv_rows import CsvUnreadableError, GzipCsv
from ior_compare.domain.inputs import DatasetSnapshot
from ior_compare.ports import DatasetUnavailableError


class PublishedDatasets:
    """Reads from the data bucket's `etl/published/`; each version once per process (they are immutable)."""

    def __init__(self, s3: Any, data_bucket: str, prefix: str = "etl/published/") -> None:
        self._s3 = s3
        self._bucket = data_bucket
        self._prefix = prefix
        self._loaded: dict[tuple[str, str, str], DatasetSnapshot] = {}

    def load(self, dataset: str, mode: str, version: str) -> DatasetSnapshot:
        key = (dataset, mode, version)
        if key not in self._loaded:
            self._loaded[key] = self._read(dataset, mode, version)
        return self._loaded[key]

    def _read(self, dataset: str, mode: str, version: str) -> DatasetSnapshot:
        base = f"{self._prefix}{dataset}/{mode}/{version}/"
        try:
            manifest = json.loads(self._get(base + "manifest.json"))
        except ValueError:
            raise DatasetUnavailableError(f"{base}manifest.json is not JSON") from None
        data = self._get(base + "data.csv.gz")
        if not isinstance(manifest, dict) or hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
            raise DatasetUnavailableError(f"{base}data.csv.gz is not the snapshot its manifest names")
        try:
            table = GzipCsv.of(data, members=_members(manifest, data))
        except CsvUnreadableError as exc:
            raise DatasetUnavailableError(f"{base}data.csv.gz is not a gzip CSV: {exc}") from None
        made_from = tuple(str(found.get("name", "")) for found in manifest.get("inputs", []))
        return DatasetSnapshot(dataset, mode, version, table, made_from, self._origins(base, manifest))

    def _origins(self, base: str, manifest: dict[str, Any]) -> GzipCsv | None:
        """Where each row was read, when the manifest names it and it is what the manifest says; else
        None, and the rows are cited by their version alone (a version published before the ETL said)."""
        named = manifest.get("origins")
        if not isinstance(named, dict) or not isinstance(named.get("file"), str):
            return None
        try:
            data = self._get(base + named["file"])
            if hashlib.sha256(data).hexdigest() != named.get("sha256"):
                return None
            origins = GzipCsv.of(data, members=_members(named, data))
        except (DatasetUnavailableError, CsvUnreadableError):
            return None
        return origins if {"source", "row"} <= set(origins.header) else None

    def _get(self, key: str) -> bytes:
        try:
            body: bytes = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except self._s3.exceptions.ClientError as exc:
            # Absent or refused alike: the explanation says the input could not be read.
            code = exc.response.get("Error", {}).get("Code", "")
            raise DatasetUnavailableError(f"s3://{self._bucket}/{key}: {code}") from None
        return body


def _members(described: dict[str, Any], data: bytes) -> Members | None:
    """Which members of `data` hold which rows, as its manifest entry says; None where it does not."""
    return Members.of(described.get("members"), size=len(data), rows=described.get("rows"))
