"""A customs lines object's text (`ior_contracts.line_columns`), inflated without holding all of it:
the byte ranges wanted, in one pass over its stream (an explanation cites a few hundred entries of a
lines document that is half a gigabyte uncompressed at a million lines, and inflating it into one
buffer cost four times the pass itself), the text a step at a time (`steps`), or whole members
fetched by range (`inflate_members`), which skip the pass altogether. The compare service and the
API both read the object so."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

GZIP_MAGIC = b"\x1f\x8b"
STEP = 1 << 22
"""Inflated bytes per step: a buffer that stays in the CPU's caches' reach, not the whole text."""

Range = tuple[int, int | None]
"""[start, end) of the text; an end of None is the text's end."""


class InflateError(ValueError):
    """The bytes are not a whole gzip stream."""


def text_ranges(body: bytes, ranges: Sequence[Range], *, step: int = STEP) -> list[bytes]:
    """The bytes at each of `ranges` of the text `body` holds: gzip (one member or several, inflated
    `step` bytes at a time), or the text itself."""
    if not body.startswith(GZIP_MAGIC):
        return [body[start:end] for start, end in ranges]
    pieces: list[list[bytes]] = [[] for _ in ranges]
    # The stream is inflated only as far as the last range reaches: the object's checksum, checked
    # when it was read, already vouches for the rest.
    ends = [end for _, end in ranges]
    last = None if None in ends else max((end for end in ends if end is not None), default=0)
    position = 0
    for chunk in steps(body, step):
        after = position + len(chunk)
        for found, (start, end) in zip(pieces, ranges, strict=True):
            low, high = max(start, position), after if end is None else min(end, after)
            if low < high:
                found.append(chunk[low - position : high - position])
        position = after
        if last is not None and position >= last:
            break
    return [b"".join(found) for found in pieces]


FEED = 1 << 20
"""Compressed bytes given to the inflater at a time: what it leaves after a member's end is copied
out, and a million-line day's object is some 48 MB in hundreds of members."""


def steps(body: bytes, step: int = STEP, *, feed: int = FEED) -> Iterator[bytes]:
    """The text a step at a time, member after member (zero bytes after the last are padding, as
    `gzip.decompress` reads them)."""
    view, given = memoryview(body), 0
    inflate, pending = zlib.decompressobj(wbits=31), b""
    try:
        while True:
            if inflate.eof:
                # What followed the member in what it was given (its `unconsumed_tail` may repeat it).
                rest = inflate.unused_data
                # Only zeros so far: padding, unless more than zeros follows.
                while not rest.strip(b"\x00") and given < len(body):
                    rest, given = view[given : given + feed].tobytes(), given + feed
                if not rest.strip(b"\x00"):
                    return
                inflate, pending = zlib.decompressobj(wbits=31), rest
            if not pending:
                if given < len(body):
                    pending, given = view[given : given + feed].tobytes(), given + feed
                    continue
                yield inflate.flush()
                if not inflate.eof:
                    raise InflateError("the gzip stream ends early")
                continue
            chunk = inflate.decompress(pending, step)
            pending = inflate.unconsumed_tail
            yield chunk
    except zlib.error as exc:
        raise InflateError(str(exc)) from None


def inflate_members(body: bytes) -> bytes:
    """The text of `body`, whole gzip members one after another (each checked against its CRC-32
    and length as it ends); a member cut short or corrupted is an `InflateError`."""
    return b"".join(steps(body, STEP))
