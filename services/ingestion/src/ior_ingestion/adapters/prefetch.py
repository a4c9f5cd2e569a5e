"""Fetches a chain of pages on a background thread, ahead of the code that reads them.

The reader parses and consumes page k while page k+1 is on its way: the server renders while the
reader works. When the next link can be read off a page without parsing it (`peek`), the thread
asks for that page at once; otherwise it waits for the reader to `follow` the link it parsed. At
most two pages wait in memory besides the one being read."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

_POLL_S = 0.1
_CLOSE_WAIT_S = 5.0


@dataclass(frozen=True)
class Fetched:
    page: int
    url: str
    body: bytes
    # The next page's URL as `peek` read it; the thread is already fetching it.
    peeked: str | None


class Prefetcher:
    """`take()` returns the pages in order; `follow(url)` answers a page whose next link was not peeked."""

    def __init__(
        self,
        fetch: Callable[[str, int], bytes],
        peek: Callable[[bytes, str, int], str | None],
        first_url: str,
        first_page: int = 1,
    ) -> None:
        self._fetch, self._peek = fetch, peek
        self._out: queue.Queue[Fetched | BaseException] = queue.Queue(maxsize=1)
        self._links: queue.Queue[str | None] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(first_url, first_page), name="page-prefetch", daemon=True
        )
        self._thread.start()

    def take(self) -> Fetched:
        """The next page, or the error that stopped the thread."""
        item = self._out.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def follow(self, url: str | None) -> None:
        """Where to go after a page whose link was not peeked (None: nowhere, the chain ends)."""
        self._links.put(url)

    def close(self) -> None:
        """Stop fetching. A request under way finishes on its own; its page is dropped."""
        self._stop.set()
        with contextlib.suppress(queue.Full):  # a link is already waiting for the thread
            self._links.put_nowait(None)
        self._thread.join(_CLOSE_WAIT_S)

    def _run(self, url: str | None, page: int) -> None:
        try:
            while url is not None and not self._stop.is_set():
                body = self._fetch(url, page)
                peeked = self._peek(body, url, page)
                if not self._hand_over(Fetched(page, url, body, peeked)):
                    return
                url = peeked if peeked is not None else self._links.get()
                page += 1
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, who raises it
            self._hand_over(exc)

    def _hand_over(self, item: Fetched | BaseException) -> bool:
        while not self._stop.is_set():
            try:
                self._out.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False
