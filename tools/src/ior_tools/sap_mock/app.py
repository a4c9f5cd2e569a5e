"""The mock SAP's HTTP face: OData v2 entity sets under `/sap/opu/odata/sap/`, Basic auth, and a
loopback-only admin API for faults and request counts under `/__mock/`."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import secrets
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ior_tools.sap_mock.catalog import Catalog, EntityFile
from ior_tools.sap_mock.faults import Fault, FaultBoard, FaultError
from ior_tools.sap_mock.query import Query, QueryError, parse_query
from ior_tools.sap_mock.render import PageRenderer

ODATA_ROOT = "/sap/opu/odata/sap"
_JSON = "application/json; charset=utf-8"
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# Left readable in `__next`, as SAP writes its links.
_QUERY_SAFE = "$',:()"


@dataclass
class MockState:
    catalog: Catalog
    board: FaultBoard
    username: str
    password: str = field(repr=False)
    page_size: int = 5000
    renderers: dict[tuple[str, str, tuple[str, ...]], PageRenderer] = field(default_factory=dict)

    def renderer(self, entity: EntityFile, entity_url: str) -> PageRenderer:
        key = (entity.config.name, entity_url, entity.date_fields)
        found = self.renderers.get(key)
        if found is None:
            found = self.renderers[key] = PageRenderer(entity, entity_url)
        return found


def odata_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"code": code, "message": {"lang": "en", "value": message}}}
    return Response(json.dumps(body), status_code=status, media_type=_JSON, headers=headers)


class _BrokenResponse(Response):
    """Announces the whole page, sends half, then returns: the server drops the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send(
            {"type": "http.response.body", "body": self.body[: len(self.body) // 2], "more_body": True}
        )


def create_app(state: MockState) -> Starlette:
    async def entity_set(request: Request) -> Response:
        service, entity_set_name = request.path_params["service"], request.path_params["entity_set"]
        name = entity_set_name.removesuffix("Set")
        entity = state.catalog.get(name) if entity_set_name.endswith("Set") else None
        if entity is None or service != entity.config.service:
            return odata_error(404, "/IWFND/MED/170", f"No service found for namespace '', name '{service}'")
        state.board.count_request(name)
        if not _authorised(request, state):
            return _unauthorised()
        try:
            query = parse_query(request.query_params, entity.config.date_fields)
        except QueryError as exc:
            return odata_error(400, "/IWBEP/CM_MGW_RT/020", str(exc))
        page_number = query.skiptoken // state.page_size + 1
        fault = state.board.take(name, page_number)
        mode = fault.mode if fault is not None else None
        if fault is not None and mode in ("auth", "503", "429"):
            return _refusal(fault)
        if fault is not None and mode == "slow":
            await _hold(request, fault.seconds)
        body = _render_page(request, state, entity, query)
        if mode == "malformed":
            body = body[: len(body) // 2] + b"<html><body>ICM_HTTP_INTERNAL_ERROR</body></html>"
        headers = {}
        if _accepts_gzip(request):
            body, headers = _gzip(body), {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        if mode == "break":
            return _BrokenResponse(body, media_type=_JSON, headers=headers)
        return Response(body, media_type=_JSON, headers=headers)

    async def service_document(request: Request) -> Response:
        name = request.path_params["service"].removesuffix("_SRV")
        if not _authorised(request, state):
            return _unauthorised()
        if state.catalog.get(name) is None:
            return odata_error(404, "/IWFND/MED/170", f"No service found for name '{name}_SRV'")
        return Response(json.dumps({"d": {"EntitySets": [f"{name}Set"]}}), media_type=_JSON)

    async def faults(request: Request) -> Response:
        if not _loopback(request):
            return JSONResponse({"error": "the admin API answers on loopback only"}, status_code=403)
        if request.method == "DELETE":
            state.board.clear(request.query_params.get("entity_set"))
        elif request.method == "POST":
            try:
                payload = json.loads(await request.body() or b"null")
                items = (
                    payload.get("faults") if isinstance(payload, dict) and "faults" in payload else [payload]
                )
                if not isinstance(items, list):
                    raise FaultError("faults must be a list")
                for fault in [Fault.from_json(item) for item in items]:
                    state.board.add(fault)
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"faults": state.board.active()})

    async def requests(request: Request) -> Response:
        if not _loopback(request):
            return JSONResponse({"error": "the admin API answers on loopback only"}, status_code=403)
        if request.method == "DELETE":
            state.board.reset_requests()
        return JSONResponse({"requests": state.board.requests()})

    return Starlette(
        routes=[
            Route(ODATA_ROOT + "/{service}/{entity_set}", entity_set, methods=["GET"]),
            Route(ODATA_ROOT + "/{service}/", service_document, methods=["GET"]),
            Route("/__mock/faults", faults, methods=["GET", "POST", "DELETE"]),
            Route("/__mock/requests", requests, methods=["GET", "DELETE"]),
        ]
    )


def _render_page(request: Request, state: MockState, entity: EntityFile, query: Query) -> bytes:
    selected = entity.select(query.dates)
    total = len(selected)
    end = total if query.top is None else min(total, query.skip + query.top)
    start = min(query.skip + query.skiptoken, end)
    stop = min(end, start + state.page_size)
    next_url = None
    entity_url = str(request.url.replace(query="")).rstrip("/")
    if stop < end:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "$skiptoken"]
        params.append(("$skiptoken", str(query.skiptoken + stop - start)))
        next_url = entity_url + "?" + urlencode(params, quote_via=quote, safe=_QUERY_SAFE)
    lines = entity.read(selected[start:stop])
    count = total if query.inlinecount else None
    return state.renderer(entity, entity_url).page(lines, first_row=start, count=count, next_url=next_url)


async def _hold(request: Request, seconds: float) -> None:
    """Hold the answer back; stop early when the client has given up waiting."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if await request.is_disconnected():
            return
        await asyncio.sleep(0.05)


def _accepts_gzip(request: Request) -> bool:
    codings = request.headers.get("accept-encoding", "")
    return any(c.split(";")[0].strip().lower() == "gzip" for c in codings.split(","))


def _gzip(body: bytes) -> bytes:
    # Level 1: JSON pages still shrink about twentyfold, for a fraction of the render's time.
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    return packer.compress(body) + packer.flush()


def _refusal(fault: Fault) -> Response:
    """The answer of a fault that refuses the request outright: auth, 503 or 429."""
    if fault.mode == "auth":
        return _unauthorised()
    if fault.mode == "503":
        return odata_error(503, "/IWFND/CM_BEC/026", "Service temporarily unavailable")
    return odata_error(
        429, "/IWFND/CM_CONSUMER/429", "Too many requests", headers={"Retry-After": str(fault.retry_after)}
    )


def _authorised(request: Request, state: MockState) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    # Both compared, always, so the answer's timing does not tell which one was wrong.
    user_ok = secrets.compare_digest(user.encode(), state.username.encode())
    password_ok = secrets.compare_digest(password.encode(), state.password.encode())
    return user_ok and password_ok


def _unauthorised() -> Response:
    return Response(
        "Logon failed",
        status_code=401,
        media_type="text/plain; charset=utf-8",
        headers={"WWW-Authenticate": 'Basic realm="SAP NetWeaver Application Server [MOCK]"'},
    )


def _loopback(request: Request) -> bool:
    client = request.client
    return client is not None and (client.host in _LOOPBACK or client.host.startswith("127."))
