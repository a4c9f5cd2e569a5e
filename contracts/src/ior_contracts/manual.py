"""The manual path: the analysts' legacy CSVs, uploaded through the API."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event
from ior_contracts.vocabulary import Actor, Sha256

LegacyFileKind = Literal[
    "product_list",
    "hts_code",
    "hts_tariff",
    "packaging_material",
    "exchange_rates",
    "invoice_lines",
]

UPLOADS_PREFIX = "/api/published/uploads/"
LEGACY_SCHEMA_VERSION = "legacy-csv-1"


def bundle_id(contents: Mapping[str, bytes]) -> str:
    """An upload's id: SHA-256 over each file's name and SHA-256, in name order, so the same files
    give the same id whatever order they were sent in."""
    return bundle_id_of({name: hashlib.sha256(body).hexdigest() for name, body in contents.items()})


def bundle_id_of(sha256s: Mapping[str, str]) -> str:
    """`bundle_id` from each file's SHA-256 (hex), for files hashed as they streamed by."""
    bundle = hashlib.sha256()
    for name in sorted(sha256s):
        bundle.update(name.encode() + b"\0" + bytes.fromhex(sha256s[name]))
    return bundle.hexdigest()


def upload_key(upload_id: str, filename: str) -> str:
    """Where an uploaded file is stored in the data bucket."""
    return f"{UPLOADS_PREFIX.lstrip('/')}{upload_id}/{filename}"


class UploadedFile(BaseModel):
    """One legacy CSV of an upload, stored unchanged."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: LegacyFileKind = Field(description="Which legacy file it is (its pinned format).")
    filename: str = Field(min_length=1, max_length=255, description="The file's name as uploaded.")
    object: ClaimCheck = Field(description="The stored file, under `api/published/uploads/<upload_id>/`.")


class UploadReceived(Event):
    DETAIL_TYPE: ClassVar[str] = "manual.upload.received.v1"
    SOURCE: ClassVar[str] = "ior.api"
    DESCRIPTION: ClassVar[str] = (
        "An operator uploaded legacy CSVs (the manual path, which stays available after cutover). "
        "The files are stored unchanged under `api/published/uploads/<upload_id>/`, where the ETL "
        "reads them and builds the same datasets as from SAP, in mode `manual`. `upload_id` is the "
        "SHA-256 of the bundle, so uploading the same files twice announces the same upload."
    )

    upload_id: Sha256 = Field(description="SHA-256 of the bundle; also the folder the files are stored in.")
    files: list[UploadedFile] = Field(min_length=1, max_length=6, description="The files, one per kind.")
    uploaded_by: Actor = Field(description="The operator who uploaded them.")
    business_date: date | None = Field(
        default=None, description="The arrival date the invoice lines are for, when the upload has them."
    )
    checked: bool = Field(
        default=True,
        description=(
            "Whether the API checked every file against its pinned format before storing it. A presigned "
            "upload (too large for the API function to read) is `false`: the ETL checks each file in "
            "full before building from it, and each file's `row_count` is 0, not counted."
        ),
    )

    @model_validator(mode="after")
    def _one_folder_one_file_per_kind(self) -> UploadReceived:
        kinds = [f.kind for f in self.files]
        duplicated = sorted({k for k in kinds if kinds.count(k) > 1})
        if duplicated:
            raise ValueError(f"an upload has one file per kind; repeated: {', '.join(duplicated)}")
        folder = f"{UPLOADS_PREFIX}{self.upload_id}/"
        for f in self.files:
            if folder not in f.object.uri:
                raise ValueError(
                    f"{f.filename} is stored at {f.object.uri}, outside its upload folder {folder}"
                )
        return self
