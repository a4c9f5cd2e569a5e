"""One GET of a source over httpx, streamed, with each way it can fail (no connection, no answer, an
error status, a body cut short) raised as that source's own typed error. SAP and the HTS export
share it; each names its errors and words their messages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

import httpx

from ior_ingestion.ports import SourceError

USER_AGENT = "ior-pipeline-ingestion"


class HttpFailures(Protocol):
    """A source's typed error for each way one GET can fail."""

    def connect_timed_out(self, exc: httpx.ConnectTimeout) -> SourceError: ...
    def no_answer(self, exc: httpx.TimeoutException) -> SourceError: ...
    def unreachable(self, exc: httpx.TransportError) -> SourceError: ...
    def status(self, response: httpx.Response) -> SourceError: ...
    def timed_out_arriving(self, exc: httpx.TimeoutException) -> SourceError: ...
    def dropped(self, exc: httpx.TransportError, received: int) -> SourceError: ...

    def undecodable(self, exc: httpx.DecodingError) -> SourceError | None:
        """None: the source does not name it, and httpx's own error goes on."""
        ...


def stream_get(
    http: httpx.Client,
    request: httpx.Request,
    failures: HttpFailures,
    *,
    auth: httpx.Auth | None = None,
    chunk_size: int | None = None,
) -> Iterator[bytes]:
    """The body of a 200 answer to `request`, as it arrives; the response is closed at the end.
    Without `auth` the client's own applies."""
    try:
        response = (
            http.send(request, stream=True) if auth is None else http.send(request, auth=auth, stream=True)
        )
    except httpx.ConnectTimeout as exc:
        raise failures.connect_timed_out(exc) from exc
    except httpx.TimeoutException as exc:
        raise failures.no_answer(exc) from exc
    except httpx.DecodingError as exc:
        if (named := failures.undecodable(exc)) is None:
            raise
        raise named from exc
    except httpx.TransportError as exc:
        raise failures.unreachable(exc) from exc
    try:
        if response.status_code != 200:
            raise failures.status(response)
        received = 0
        try:
            for chunk in response.iter_bytes(chunk_size):
                received += len(chunk)
                yield chunk
        except httpx.TimeoutException as exc:
            raise failures.timed_out_arriving(exc) from exc
        except httpx.DecodingError as exc:
            if (named := failures.undecodable(exc)) is None:
                raise
            raise named from exc
        except httpx.TransportError as exc:
            raise failures.dropped(exc, received) from exc
    finally:
        response.close()
