"""The official USITC HTS: its release list (`<api>/releaseList`), and a release's JSON export read
from a local path or an https URL, checked while it streams to be a JSON array of rows with
`htsno` (gzip or plain), and handed on byte for byte.

The download is spooled (in memory up to a few MB, on disk beyond), so a failed or malformed
export is caught before anything is landed and memory stays O(chunk). Requests are retried with
the same policy as SAP; a local file that is missing is not."""

from __future__ import annotations

import codecs
import json
import re
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, ClassVar

import httpx

from ior_ingestion.adapters.http import USER_AGENT, stream_get
from ior_ingestion.adapters.retrying import RetryPolicy, call_with_retries, parse_retry_after
from ior_ingestion.domain.releases import Release, ReleaseError, parse_releases
from ior_ingestion.ports import SourceError

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=120.0, write=10.0, pool=10.0)
_CHUNK = 64 * 1024
_SPOOL_IN_MEMORY = 8 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# A release list is a few hundred small objects; anything far larger is not one.
_RELEASE_LIST_LIMIT = 4 * 1024 * 1024


class UsitcError(SourceError):
    """The HTS export could not be fetched or is not what the USITC publishes."""

    reason: ClassVar[str] = "usitc_error"


class UsitcUnreachableError(UsitcError):
    """No connection to the export's host, or no file at the local path."""

    reason = "unreachable"

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class UsitcTimeoutError(UsitcError):
    """The host did not answer within the timeout."""

    reason = "timeout"
    retryable = True


class UsitcRateLimitedError(UsitcError):
    """The host answered 429; `retry_after` is the wait it asked for."""

    reason = "rate_limited"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UsitcServerError(UsitcError):
    """The host answered an error status: 5xx (retried) or 4xx (not)."""

    reason = "server_error"

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = status >= 500
        self.retry_after = retry_after


class UsitcMalformedError(UsitcError):
    """The content is not a JSON array of HTS rows (each an object with a string `htsno`)."""

    reason = "malformed"


class UsitcIncompleteError(UsitcError):
    """The connection dropped while the export was arriving."""

    reason = "incomplete"
    retryable = True


def checked_url(location: str) -> httpx.URL | None:
    """The URL `location` names (None for a local path): https, or http on this machine only."""
    url = httpx.URL(location) if "://" in location else None
    if url is not None and url.scheme not in ("https", "http", "file"):
        raise ValueError(f"an HTS location must be a path or an https URL, not {location!r}")
    if url is not None and url.scheme == "http" and url.host not in _LOOPBACK:
        raise ValueError(f"the HTS must come over https, not {location!r}")
    return url


class UsitcClient:
    """The USITC's HTS service at `api`: the release list, and exports by location."""

    def __init__(
        self,
        api: str,
        *,
        base_dir: Path | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._list_url = f"{api.rstrip('/')}/releaseList"
        checked_url(self._list_url)
        self._base_dir, self._transport, self._timeout = base_dir, transport, timeout
        self._retry = retry or RetryPolicy()

    def releases(self) -> list[Release]:
        return call_with_retries(self._retry, self._list)

    def export(self, location: str) -> tuple[Iterator[bytes], int]:
        return UsitcExport(
            location,
            base_dir=self._base_dir,
            transport=self._transport,
            timeout=self._timeout,
            retry=self._retry,
        ).fetch()

    def _list(self) -> list[Release]:
        body = bytearray()
        with httpx.Client(transport=self._transport, timeout=self._timeout, follow_redirects=True) as http:
            request = http.build_request(
                "GET", self._list_url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
            )
            for chunk in stream_get(http, request, _DownloadFailures(self._list_url)):
                body += chunk
                if len(body) > _RELEASE_LIST_LIMIT:
                    raise UsitcMalformedError(f"{self._list_url} is not a release list: over 4 MB")
        try:
            return parse_releases(json.loads(bytes(body)))
        except (ValueError, ReleaseError) as exc:
            raise UsitcMalformedError(f"{self._list_url} is not a release list: {exc}") from None


class UsitcExport:
    """One location of the export: a path (relative ones resolve against `base_dir`) or an URL."""

    def __init__(
        self,
        location: str,
        *,
        base_dir: Path | None = None,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        chunk_size: int = _CHUNK,
    ) -> None:
        self.location = location
        self._base_dir = base_dir
        self._http, self._transport, self._timeout = http, transport, timeout
        self._retry = retry or RetryPolicy()
        self._chunk_size = chunk_size
        url = checked_url(location)
        self._url = url if url is not None and url.scheme != "file" else None
        self._path = (
            None if self._url is not None else self._resolve(url.path if url is not None else location)
        )

    def _resolve(self, path: str) -> Path:
        candidate = Path(path)
        if not candidate.is_absolute():
            candidate = (self._base_dir or Path.cwd()) / candidate
        return candidate.resolve()

    def fetch(self) -> tuple[Iterator[bytes], int]:
        """The export's bytes, as published, and its row count; validated before anything is returned."""
        spool, rows = call_with_retries(self._retry, self._download)
        return _read_back(spool, self._chunk_size), rows

    # --- one attempt ---------------------------------------------------------------------------

    def _download(self) -> tuple[IO[bytes], int]:
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 - handed on
        try:
            check = ExportCheck()
            for chunk in self._stream():
                spool.write(chunk)
                check.feed(chunk)
            check.close()
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool, check.rows

    def _stream(self) -> Iterator[bytes]:
        if self._path is not None:
            yield from self._stream_file(self._path)
        else:
            yield from self._stream_url(str(self._url))

    def _stream_file(self, path: Path) -> Iterator[bytes]:
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise UsitcUnreachableError(f"no HTS export at {path}", retryable=False) from None
        except OSError as exc:
            raise UsitcUnreachableError(f"cannot read {path}: {exc}", retryable=False) from None
        with handle:
            while chunk := handle.read(self._chunk_size):
                yield chunk

    def _stream_url(self, url: str) -> Iterator[bytes]:
        http = self._http or httpx.Client(
            transport=self._transport, timeout=self._timeout, follow_redirects=True
        )
        try:
            request = http.build_request("GET", url, headers={"User-Agent": USER_AGENT})
            yield from stream_get(http, request, _DownloadFailures(url), chunk_size=self._chunk_size)
        finally:
            if self._http is None:
                http.close()


class _DownloadFailures:
    """How a failed download is told: as a `UsitcError` naming the URL."""

    def __init__(self, url: str) -> None:
        self._url = url

    def connect_timed_out(self, exc: httpx.ConnectTimeout) -> UsitcError:
        return UsitcUnreachableError(f"connect to {self._url} timed out")

    def no_answer(self, exc: httpx.TimeoutException) -> UsitcError:
        return UsitcTimeoutError(f"{self._url} did not answer within the timeout")

    def unreachable(self, exc: httpx.TransportError) -> UsitcError:
        return UsitcUnreachableError(f"cannot reach {self._url}: {type(exc).__name__}: {exc}")

    def status(self, response: httpx.Response) -> UsitcError:
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if status == 429:
            return UsitcRateLimitedError("the HTS host is rate limiting (HTTP 429)", retry_after=retry_after)
        return UsitcServerError(
            f"the HTS host answered HTTP {status}", status=status, retry_after=retry_after
        )

    def timed_out_arriving(self, exc: httpx.TimeoutException) -> UsitcError:
        return UsitcTimeoutError(f"timed out while {self._url} was arriving")

    def dropped(self, exc: httpx.TransportError, received: int) -> UsitcError:
        return UsitcIncompleteError(f"connection dropped while {self._url} was arriving: {exc}")

    def undecodable(self, exc: httpx.DecodingError) -> None:
        # Not a `UsitcError`: the message fails and is delivered again, rather than announced as failed.
        return None


def _skip_whitespace(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match is not None else pos


def _read_back(spool: IO[bytes], chunk_size: int) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(chunk_size):
            yield chunk


class ExportCheck:
    """Checks the export as its bytes arrive: gunzips when needed, decodes UTF-8, and walks the
    top-level JSON array one row at a time, so memory stays O(row + chunk)."""

    def __init__(self) -> None:
        self.rows = 0
        self._numbered = 0
        self._first = True
        self._inflate: Any = None
        self._text = codecs.getincrementaldecoder("utf-8")()
        self._buffer = ""
        self._state = "start"  # start → first → item ⇄ after → end
        self._decoder = json.JSONDecoder()

    def feed(self, chunk: bytes) -> None:
        if self._first and chunk:
            self._first = False
            if chunk.startswith(_GZIP_MAGIC):
                self._inflate = zlib.decompressobj(wbits=31)
        data = self._gunzip(chunk) if self._inflate is not None else chunk
        try:
            self._buffer += self._text.decode(data)
        except UnicodeDecodeError as exc:
            raise UsitcMalformedError(f"the export is not UTF-8 text: {exc.reason}") from None
        self._walk(final=False)

    def close(self) -> None:
        if self._inflate is not None and not self._inflate.eof:
            raise UsitcMalformedError("the gzip stream ends early")
        try:
            self._buffer += self._text.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise UsitcMalformedError(f"the export is not UTF-8 text: {exc.reason}") from None
        self._walk(final=True)
        if self._state != "end":
            raise UsitcMalformedError(
                "the export is empty" if self._state == "start" else "the export ends inside its array"
            )
        if not self._numbered:
            raise UsitcMalformedError("no row of the export has an htsno")

    def _gunzip(self, chunk: bytes) -> bytes:
        out = []
        try:
            while chunk:
                if self._inflate.eof:  # another gzip member follows
                    self._inflate = zlib.decompressobj(wbits=31)
                out.append(self._inflate.decompress(chunk))
                chunk = self._inflate.unused_data
        except zlib.error as exc:
            raise UsitcMalformedError(f"the export is not valid gzip: {exc}") from None
        return b"".join(out)

    def _walk(self, *, final: bool) -> None:
        text, pos = self._buffer, 0
        while True:
            pos = _skip_whitespace(text, pos)
            if pos >= len(text):
                break
            char = text[pos]
            if self._state == "start":
                if char != "[":
                    raise UsitcMalformedError("the export is not a JSON array")
                self._state, pos = "first", pos + 1
            elif self._state == "first":
                if char == "]":
                    raise UsitcMalformedError("the export's array is empty")
                self._state = "item"
            elif self._state == "after":
                if char not in ",]":
                    raise UsitcMalformedError(f"expected `,` or `]` after row {self.rows}")
                self._state, pos = ("item" if char == "," else "end"), pos + 1
            elif self._state == "end":
                raise UsitcMalformedError("content follows the export's array")
            else:
                if char != "{":
                    raise UsitcMalformedError(f"row {self.rows + 1} is not a JSON object")
                try:
                    row, pos = self._decoder.raw_decode(text, pos)
                except json.JSONDecodeError as exc:
                    if final:
                        raise UsitcMalformedError(f"row {self.rows + 1}: {exc.msg}") from None
                    break  # the row is still arriving
                self._row(row)
                self._state = "after"
        self._buffer = text[pos:]

    def _row(self, row: dict[str, Any]) -> None:
        self.rows += 1
        htsno = row.get("htsno")
        if not isinstance(htsno, str):
            raise UsitcMalformedError(f"row {self.rows} has no string htsno")
        if htsno:
            self._numbered += 1
