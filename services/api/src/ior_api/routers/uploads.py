"""`POST /api/uploads`: the manual fallback. The bundle is checked against the pinned formats before
anything is stored; a clean one is stored unchanged and announced with `manual.upload.received.v1`.
Bundles over 6 MB go through `POST /api/uploads/presigned` (files straight to S3) and are then
checked and announced by `POST /api/uploads/presigned/{session}`."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, UploadFile, status
from fastapi.responses import JSONResponse
from ior_contracts.envelope import deterministic_event_id
from ior_contracts.manual import UploadedFile, UploadReceived, bundle_id

from ior_api.deps import CurrentUser, Principal, Services, ServicesDep
from ior_api.schemas import (
    IsoDate,
    Message,
    PresignedComplete,
    PresignedTarget,
    PresignedUpload,
    PresignRequest,
    UploadedFilePublic,
    UploadProblem,
    UploadPublic,
    UploadRejected,
)
from ior_api.uploads import MAX_DIRECT_BYTES, MAX_FILE_BYTES, FileProblem, check_bundle

router = APIRouter(prefix="/uploads", tags=["uploads"])

REJECTED: dict[int | str, dict[str, Any]] = {422: {"model": UploadRejected}, 413: {"model": Message}}


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
    return _accept(contents, business_date, principal, services)


@router.post(
    "/presigned",
    status_code=status.HTTP_201_CREATED,
    response_model=PresignedUpload,
)
def presign(body: PresignRequest, _: CurrentUser, services: ServicesDep) -> PresignedUpload:
    # The names are checked by the request's schema, so nobody uploads 100 MB under a refused name.
    session = uuid.uuid4().hex
    store = services.uploads
    return PresignedUpload(
        session=session,
        expires_in=store.ttl_s,
        targets=[
            PresignedTarget(filename=name, **store.presign(session, name, MAX_FILE_BYTES))
            for name in sorted(set(body.files))
        ],
    )


@router.post(
    "/presigned/{session}",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadPublic,
    responses={**REJECTED, 404: {"model": Message}},
)
def complete_presigned(
    session: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    body: PresignedComplete,
    principal: CurrentUser,
    services: ServicesDep,
) -> UploadPublic | JSONResponse:
    contents = services.uploads.incoming(session)
    if not contents:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"nothing was uploaded for session {session}")
    return _accept(contents, body.business_date, principal, services)


def _accept(
    contents: dict[str, bytes], business_date: date | None, principal: Principal, services: Services
) -> UploadPublic | JSONResponse:
    checked = check_bundle(contents)
    if not checked.ok:
        return _rejected(checked.problems, f"{len(checked.problems)} problem(s); nothing was stored")
    upload_id = bundle_id(contents)
    stored = [
        UploadedFile(
            kind=f.format.kind,
            filename=name,
            object=services.uploads.store(upload_id, name, contents[name], f.rows),
        )
        for name, f in sorted(checked.files.items())
    ]
    event = UploadReceived(
        upload_id=upload_id, files=stored, uploaded_by=principal.user.username, business_date=business_date
    )
    # The same bundle for the same date announces the same upload: a double click is one upload.
    event_id = deterministic_event_id("upload", upload_id, str(business_date))
    metadata = services.publisher.publish(event, business_date=business_date, event_id=event_id)
    return UploadPublic(
        upload_id=upload_id,
        event_id=metadata.event_id,
        business_date=business_date,
        files=[
            UploadedFilePublic(
                filename=f.filename, kind=f.kind, rows=f.object.row_count, sha256=f.object.sha256
            )
            for f in stored
        ],
    )


def _rejected(problems: list[FileProblem], detail: str) -> JSONResponse:
    body = UploadRejected(
        detail=detail,
        errors=[UploadProblem.model_validate(p, from_attributes=True) for p in problems],
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
