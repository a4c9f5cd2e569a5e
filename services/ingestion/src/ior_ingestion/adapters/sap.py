"""The SAP OData v2 client: pages through an entity set by `__next`, one page in memory at a time.

Each page request is retried on its own (connect errors, timeouts, 5xx, 429 with its Retry-After,
a connection dropped mid-page); 401/403 and other 4xx never are. Every failure surfaces as one
typed `SapError` whose `reason` is a closed set the extract's failure event carries. While the
caller handles a page, the next one is already being fetched, so SAP's rendering time and ours
overlap."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from ior_ingestion.adapters.http import USER_AGENT, stream_get
from ior_ingestion.adapters.prefetch import Prefetcher
from ior_ingestion.adapters.retrying import RetryPolicy, call_with_retries, parse_retry_after
from ior_ingestion.domain.odata import (
    NEXT_AT_END,
    NEXT_TAIL,
    InvalidDateLiteralError,
    ODataValueError,
    normalise_rows,
    window_filter,
)
from ior_ingestion.ports import SourceError

if TYPE_CHECKING:
    from ior_ingestion.domain.sources import SapSource
    from ior_ingestion.domain.windows import DateRange

ODATA_ROOT = "/sap/opu/odata/sap"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=60.0, write=10.0, pool=10.0)
_HEADERS = {"Accept": "application/json", "User-Agent": USER_AGENT}
_ERROR_BODY_LIMIT = 64 * 1024

Row = dict[str, Any]


# --- errors ----------------------------------------------------------------------------------


class SapError(SourceError):
    """SAP could not deliver an extract; `reason` says why, as a closed set."""

    reason: ClassVar[str] = "sap_error"

    def __init__(self, message: str, *, entity_set: str | None = None, page: int | None = None) -> None:
        self.message = message
        self.entity_set = entity_set
        self.page = page
        where = " ".join(p for p in (entity_set or "", f"page {page}" if page else "") if p)
        super().__init__(f"{where}: {message}" if where else message)


class SapUnreachableError(SapError):
    """No connection to SAP could be made (refused, DNS, connect timeout, dropped before a response)."""

    reason = "unreachable"
    retryable = True


class SapAuthError(SapError):
    """SAP refused the credentials (401/403); retrying would only lock the user."""

    reason = "auth"


class SapTimeoutError(SapError):
    """SAP accepted the connection but did not answer within the read timeout."""

    reason = "timeout"
    retryable = True


class SapRateLimitedError(SapError):
    """SAP answered 429; `retry_after` is the wait it asked for, in seconds."""

    reason = "rate_limited"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None, **where: Any) -> None:
        super().__init__(message, **where)
        self.retry_after = retry_after


class SapServerError(SapError):
    """SAP answered with an error status: 5xx (retried) or a 4xx other than 401/403/429 (not)."""

    reason = "server_error"

    def __init__(self, message: str, *, status: int, retry_after: float | None = None, **where: Any) -> None:
        super().__init__(message, **where)
        self.status = status
        self.retryable = status >= 500
        self.retry_after = retry_after


class SapMalformedResponseError(SapError):
    """A page broke the OData contract; `problem` names how (invalid JSON, missing d.results, ...)."""

    reason = "malformed"

    def __init__(self, message: str, *, problem: str, **where: Any) -> None:
        super().__init__(f"{problem}: {message}", **where)
        self.problem = problem


class SapIncompleteError(SapError):
    """The connection dropped while a page's body was arriving."""

    reason = "incomplete"
    retryable = True


# --- credentials -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SapCredentials:
    """Where SAP is and who we are; read by the caller from the Secrets Manager secret `ior/<stage>/sap`."""

    base_url: str
    username: str
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        try:
            url = httpx.URL(self.base_url)
        except httpx.InvalidURL:
            url = httpx.URL()
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"SAP base_url must be an http(s) URL, got {self.base_url!r}")
        if not self.username or not self.password:
            raise ValueError("SAP username and password must not be empty")

    @classmethod
    def from_secret(cls, secret_string: str) -> SapCredentials:
        """The secret's JSON: `{"base_url": ..., "username": ..., "password": ...}`."""
        try:
            data = json.loads(secret_string)
            fields = (str(data["base_url"]), str(data["username"]), str(data["password"]))
        except (ValueError, KeyError, TypeError) as exc:
            # Never echo the secret itself.
            raise ValueError(
                f"the SAP secret is not {{base_url, username, password}} JSON ({type(exc).__name__})"
            ) from None
        return cls(*fields)


# --- the client ------------------------------------------------------------------------------


class SapClient:
    """Reads OData v2 entity sets from SAP Gateway. Give it an `httpx.Client` or a transport to test it."""

    def __init__(
        self,
        credentials: SapCredentials,
        *,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        prefetch: bool = True,
    ) -> None:
        self._base = httpx.URL(credentials.base_url.rstrip("/"))
        self._auth = httpx.BasicAuth(credentials.username, credentials.password)
        self._owns_http = http is None
        self._http = http or httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)
        self._retry = retry or RetryPolicy()
        self._prefetch = prefetch

    def __enter__(self) -> SapClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def url(self, entity_set: str, service: str | None = None) -> str:
        """`<base>/sap/opu/odata/sap/<service>/<entity_set>`; the service defaults to `<name>_SRV`."""
        service = service or f"{entity_set.removesuffix('Set')}_SRV"
        return f"{self._base}{ODATA_ROOT}/{service}/{entity_set}"

    def iter_pages(
        self,
        entity_set: str,
        date_field: str | None,
        window: DateRange | None,
        *,
        service: str | None = None,
    ) -> Iterator[list[Row]]:
        """Every row of the entity set (when a window is given, those whose `date_field` lies in it
        or is unset), one normalised page at a time, in SAP's order."""
        params = self._params(date_field, window)
        name = entity_set.removesuffix("Set")
        first = self.url(entity_set, service)

        def fetch(url: str, page: int) -> bytes:
            return self._get(url, params if page == 1 else None, name, page)

        if not self._prefetch:
            url: str | None = first
            page = 1
            while url is not None:
                body = fetch(url, page)
                container, next_url = self._decode(body, url, name, page)
                yield self._rows(container, body, name, page)
                url, page = next_url, page + 1
            return
        yield from self._iter_prefetched(fetch, first, name)

    def iter_source(self, source: SapSource, window: DateRange | None) -> Iterator[list[Row]]:
        """`iter_pages` for a declared source: its date field only when it is extracted incrementally."""
        date_field = source.date_field if source.incremental else None
        return self.iter_pages(
            source.entity_set, date_field, window if date_field else None, service=source.service
        )

    def count(
        self, entity_set: str, date_field: str | None, window: DateRange | None, *, service: str | None = None
    ) -> int:
        """How many rows `iter_pages` would return, by `$inlinecount=allpages` on an empty page."""
        params = {**self._params(date_field, window), "$inlinecount": "allpages", "$top": "0"}
        name = entity_set.removesuffix("Set")
        body = self._get(self.url(entity_set, service), params, name, 1)
        d = _results_container(_parse_json(body, name, 1), name, 1)
        try:
            return int(d["__count"])
        except (KeyError, TypeError, ValueError):
            raise SapMalformedResponseError(
                "no integer __count", problem="missing d.__count", entity_set=name, page=1
            ) from None

    # --- paging ------------------------------------------------------------------------------

    def _params(self, date_field: str | None, window: DateRange | None) -> dict[str, str]:
        params = {"$format": "json"}
        if window is not None:
            if date_field is None:
                raise ValueError("a window needs the date field to filter on")
            params["$filter"] = window_filter(date_field, window.from_date, window.to_date)
        return params

    def _iter_prefetched(
        self, fetch: Callable[[str, int], bytes], first: str, name: str
    ) -> Iterator[list[Row]]:
        def peek(body: bytes, url: str, page: int) -> str | None:
            return self._next_hint(body, url, name, page)

        ahead = Prefetcher(fetch, peek, first)
        try:
            while True:
                fetched = ahead.take()
                container, next_url = self._decode(fetched.body, fetched.url, name, fetched.page)
                if fetched.peeked is None:
                    ahead.follow(next_url)
                elif fetched.peeked != next_url:
                    # The end of the page misled the peek: start again from the parsed link, unpeeked.
                    ahead.close()
                    if next_url is not None:
                        ahead = Prefetcher(fetch, _no_peek, next_url, fetched.page + 1)
                rows = self._rows(container, fetched.body, name, fetched.page)
                del fetched, container  # only the rows stay while the caller works
                yield rows
                if next_url is None:
                    return
        finally:
            ahead.close()

    def _get(self, url: str, params: dict[str, str] | None, name: str, page: int) -> bytes:
        return call_with_retries(self._retry, lambda: self._fetch(url, params, name, page))

    def _decode(self, body: bytes, url: str, name: str, page: int) -> tuple[dict[str, Any], str | None]:
        container = _results_container(_parse_json(body, name, page), name, page)
        return container, self._next_url(container.get("__next"), url, name, page)

    def _rows(self, container: dict[str, Any], body: bytes, name: str, page: int) -> list[Row]:
        try:
            return normalise_rows(container["results"], body)
        except InvalidDateLiteralError as exc:
            raise SapMalformedResponseError(
                str(exc), problem="bad date literal", entity_set=name, page=page
            ) from None
        except ODataValueError as exc:
            raise SapMalformedResponseError(
                str(exc), problem="bad result", entity_set=name, page=page
            ) from None

    def _next_hint(self, body: bytes, current: str, name: str, page: int) -> str | None:
        """The `__next` link at the very end of a raw page, when it is there and acceptable."""
        match = NEXT_AT_END.search(body, max(0, len(body) - NEXT_TAIL))
        if match is None:
            return None
        try:
            return self._next_url(json.loads(match.group(1)), current, name, page)
        except (ValueError, SapMalformedResponseError):
            return None  # the parsed page will say what is wrong with it

    def _next_url(self, link: object, current: str, name: str, page: int) -> str | None:
        if link is None or link == "":
            return None
        if not isinstance(link, str):
            raise SapMalformedResponseError(
                repr(link)[:200], problem="bad __next link", entity_set=name, page=page
            )
        resolved = httpx.URL(current).join(link)
        # Credentials go with every request: never follow a link away from SAP's own origin.
        if (resolved.scheme, resolved.host, resolved.port) != (
            self._base.scheme,
            self._base.host,
            self._base.port,
        ):
            raise SapMalformedResponseError(
                f"{link[:200]} leaves {self._base}", problem="bad __next link", entity_set=name, page=page
            )
        if str(resolved) == current:
            raise SapMalformedResponseError(
                "__next repeats the page just read", problem="bad __next link", entity_set=name, page=page
            )
        return str(resolved)

    # --- one HTTP attempt ---------------------------------------------------------------------

    def _fetch(self, url: str, params: dict[str, str] | None, name: str, page: int) -> bytes:
        request = self._http.build_request("GET", url, params=params, headers=_HEADERS)
        return b"".join(stream_get(self._http, request, _PageFailures(name, page), auth=self._auth))


def _no_peek(body: bytes, url: str, page: int) -> str | None:
    return None


class _PageFailures:
    """How a failed page request is told: as a `SapError` naming the entity set and the page."""

    def __init__(self, name: str, page: int) -> None:
        self._where: dict[str, Any] = {"entity_set": name, "page": page}

    def connect_timed_out(self, exc: httpx.ConnectTimeout) -> SapError:
        return SapUnreachableError(f"connect timed out: {exc}", **self._where)

    def no_answer(self, exc: httpx.TimeoutException) -> SapError:
        return SapTimeoutError(f"no answer within the timeout: {type(exc).__name__}", **self._where)

    def unreachable(self, exc: httpx.TransportError) -> SapError:
        return SapUnreachableError(f"{type(exc).__name__}: {exc}", **self._where)

    def status(self, response: httpx.Response) -> SapError:
        status = response.status_code
        detail = _error_text(response)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if status in (401, 403):
            return SapAuthError(f"SAP refused the credentials (HTTP {status}){detail}", **self._where)
        if status == 429:
            return SapRateLimitedError(
                f"rate limited (HTTP 429){detail}", retry_after=retry_after, **self._where
            )
        return SapServerError(f"HTTP {status}{detail}", status=status, retry_after=retry_after, **self._where)

    def timed_out_arriving(self, exc: httpx.TimeoutException) -> SapError:
        return SapTimeoutError("timed out while the page was arriving", **self._where)

    def dropped(self, exc: httpx.TransportError, received: int) -> SapError:
        return SapIncompleteError(f"connection dropped after {received} bytes: {exc}", **self._where)

    def undecodable(self, exc: httpx.DecodingError) -> SapError:
        return SapMalformedResponseError(str(exc), problem="undecodable body", **self._where)


def _error_text(response: httpx.Response) -> str:
    """SAP's own message from an OData error body, when there is one to read."""
    body = b""
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) >= _ERROR_BODY_LIMIT:
                break
        value = json.loads(body)["error"]["message"]["value"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return ""
    return f": {str(value)[:500]}"


def _parse_json(body: bytes, name: str, page: int) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SapMalformedResponseError(
            str(exc)[:300], problem="invalid JSON", entity_set=name, page=page
        ) from None


def _results_container(doc: Any, name: str, page: int) -> dict[str, Any]:
    d = doc.get("d") if isinstance(doc, dict) else None
    if not isinstance(d, dict) or not isinstance(d.get("results"), list):
        raise SapMalformedResponseError(
            "the body has no d.results array", problem="missing d.results", entity_set=name, page=page
        )
    return d
