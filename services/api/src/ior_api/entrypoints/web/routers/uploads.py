"""`POST /api/uploads`: the manual fallback. The bundle is checked against the pinned formats before
anything is stored; a clean one is stored unchanged and announced with `manual.upload.received.v1`.
Bundles over 6 MB go through `POST /api/uploads/presigned` (files straight to S3) and are then
announced, unread, by `POST /api/uploads/presigned/{session}`: the ETL checks them in full, and
holds a file with problems (its `etl.dataset.held.v1` names the upload). `GET /api/uploads/formats`
says what the pinned formats require; `GET /api/uploads` is the history, with what the ETL made of
each upload."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, UploadFile, status
from fastapi.responses import JSONResponse
from ior_contracts.legacy.formats import FORMATS

from ior_api.domain.uploads import COMMON_RULES, ENCODING, LINE_ENDING, MAX_DIRECT_BYTES, SEPARATOR
from ior_api.entrypoints.web.dependencies import CurrentUser, ServicesDep
from ior_api.entrypoints.web.included import IncludedRoute
from ior_api.entrypoints.web.schemas import (
    DatasetOutcomePublic,
    IsoDate,
    LegacyFormatPublic,
    Message,
    PresignedComplete,
    PresignedTarget,
    PresignedUpload,
    PresignRequest,
    UploadedFilePublic,
    UploadedFileRecordPublic,
    UploadFileSummary,
    UploadFormatsPublic,
    UploadHistoryEntryPublic,
    UploadProblem,
    UploadPublic,
    UploadRejected,
)
from ior_api.service_layer import upload_history, uploads
from ior_api.service_layer.uploads import BundleRejectedError, StoredUpload

router = APIRouter(route_class=IncludedRoute, prefix="/uploads", tags=["uploads"])

REJECTED: dict[int | str, dict[str, Any]] = {422: {"model": UploadRejected}, 413: {"model": Message}}
# A file of a presigned upload replaced while it was checked.
CHANGED: dict[int | str, dict[str, Any]] = {409: {"model": Message}}


@router.get("/formats", response_model=UploadFormatsPublic)
def formats(_: CurrentUser) -> UploadFormatsPublic:
    return UploadFormatsPublic(
        encoding=ENCODING,
        line_ending=LINE_ENDING,
        separator=SEPARATOR,
        rules=list(COMMON_RULES),
        max_direct_bytes=MAX_DIRECT_BYTES,
        files=[
            LegacyFormatPublic(filename=f.file, kind=f.kind, header=list(f.header)) for f in FORMATS.values()
        ],
    )


@router.get("", response_model=list[UploadHistoryEntryPublic])
def history(_: CurrentUser, services: ServicesDep) -> list[UploadHistoryEntryPublic]:
    return [
        UploadHistoryEntryPublic(
            upload_id=e.record.upload_id,
            event_id=e.record.event_id,
            uploaded_at=e.record.uploaded_at,
            uploaded_by=e.record.uploaded_by,
            business_date=e.record.business_date,
            files=[UploadedFileRecordPublic.model_validate(f, from_attributes=True) for f in e.record.files],
            outcomes=[DatasetOutcomePublic.model_validate(o, from_attributes=True) for o in e.outcomes],
        )
        for e in upload_history.history(services)
    ]


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=UploadPublic, responses=REJECTED)
async def upload(
    principal: CurrentUser,
    services: ServicesDep,
    files: Annotated[list[UploadFile], File(description="The legacy CSVs, by their pinned names.")],
    # Typed `IsoDate`, not `IsoDate | None`: a multipart form has no null, so the field is optional
    # by having no value at all; the default is never validated.
    business_date: Annotated[IsoDate, Form()] = None,  # type: ignore[assignment]
) -> UploadPublic | JSONResponse:
    contents: dict[str, bytes] = {}
    total = 0
    for part in files:
        body = await part.read(MAX_DIRECT_BYTES + 1 - total)
        total += len(body)
        if total > MAX_DIRECT_BYTES:
            raise HTTPException(
                status.HTTP_413_CONTENT_TOO_LARGE,
                "the bundle is over 6 MB: upload it through POST /api/uploads/presigned",
            )
        name = part.filename or "(unnamed)"
        if name in contents:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{name} is in the upload twice")
        contents[name] = body
    try:
        stored = uploads.accept(services, contents, business_date, by=principal.user.username)
    except BundleRejectedError as exc:
        return _rejected(exc)
    return _public(stored)


@router.post(
    "/presigned",
    status_code=status.HTTP_201_CREATED,
    response_model=PresignedUpload,
)
def presign(body: PresignRequest, _: CurrentUser, services: ServicesDep) -> PresignedUpload:
    presigned = uploads.presign(services, list(body.files))
    return PresignedUpload(
        session=presigned.session,
        expires_in=presigned.expires_in,
        targets=[PresignedTarget(filename=name, **post) for name, post in presigned.targets.items()],
    )


@router.post(
    "/presigned/{session}",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadPublic,
    responses={**REJECTED, **CHANGED, 404: {"model": Message}},
)
def complete_presigned(
    session: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    body: PresignedComplete,
    principal: CurrentUser,
    services: ServicesDep,
) -> UploadPublic | JSONResponse:
    try:
        stored = uploads.complete(services, session, body.business_date, by=principal.user.username)
    except BundleRejectedError as exc:
        return _rejected(exc)
    return _public(stored)


def _rejected(exc: BundleRejectedError) -> JSONResponse:
    """The first problems of each file and the count of all of them: enough to fix the files, never
    more than a response may carry."""
    body = UploadRejected(
        detail=str(exc),
        errors=[UploadProblem.model_validate(p, from_attributes=True) for p in exc.check.problems],
        summary=[UploadFileSummary.model_validate(s, from_attributes=True) for s in exc.check.summaries],
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _public(stored: StoredUpload) -> UploadPublic:
    return UploadPublic(
        upload_id=stored.upload_id,
        event_id=stored.event_id,
        business_date=stored.business_date,
        files=[
            UploadedFilePublic(
                filename=f.filename,
                kind=f.kind,
                rows=f.object.row_count if stored.checked else None,
                sha256=f.object.sha256,
            )
            for f in stored.files
        ],
    )
