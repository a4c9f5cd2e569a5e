"""Byte ranges of a gzip object's text taken in one pass over its stream are the text's own bytes at
those ranges, whatever the steps, members and ranges; a stream cut short is refused."""

from __future__ import annotations

import gzip
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ior_contracts import inflated
from ior_contracts.inflated import InflateError, inflate_members, text_ranges

RANGES = st.lists(st.tuples(st.integers(0, 300), st.one_of(st.none(), st.integers(0, 300))), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    text=st.binary(max_size=256),
    cuts=st.lists(st.integers(0, 256), max_size=3),
    ranges=RANGES,
    step=st.integers(1, 64),
    padding=st.integers(0, 3),
)
def test_ranges_of_any_gzip_text_are_its_bytes_at_those_ranges(
    text: bytes, cuts: list[int], ranges: list[tuple[int, int | None]], step: int, padding: int
) -> None:
    # GIVEN a text compressed as one gzip member or several, perhaps padded with zero bytes
    bounds = sorted({0, len(text), *(min(cut, len(text)) for cut in cuts)})
    members = [text[start:end] for start, end in itertools.pairwise(bounds)] or [b""]
    body = b"".join(gzip.compress(member, mtime=0) for member in members) + b"\x00" * padding
    # WHEN ranges are read from it, a few bytes per step
    found = text_ranges(body, ranges, step=step)
    # THEN each is the text's slice
    assert found == [text[start:end] for start, end in ranges]


@given(text=st.text(max_size=64).map(str.encode), ranges=RANGES)
def test_ranges_of_a_plain_text_are_its_slices(text: bytes, ranges: list[tuple[int, int | None]]) -> None:
    assert text_ranges(text, ranges) == [text[start:end] for start, end in ranges]


@pytest.mark.parametrize("cut", [1, 4, 9, 20])
def test_a_gzip_stream_cut_short_is_refused_where_a_range_reaches_the_cut(cut: int) -> None:
    # GIVEN a gzip document missing its last bytes
    text = b'{"entries":[' + b'{"entry_id":"E1"},' * 5000 + b"]}"
    body = gzip.compress(text, mtime=0)[:-cut]
    # WHEN a range to its end is read THEN it is refused as not a whole stream
    with pytest.raises(InflateError, match="ends early"):
        text_ranges(body, [(0, 10), (20, None)], step=64)
    # AND ranges that end before the cut are read without inflating the rest
    assert text_ranges(body, [(0, 10), (30, 40)], step=64) == [text[:10], text[30:40]]


def test_bytes_that_are_not_gzip_after_its_magic_are_refused() -> None:
    with pytest.raises(InflateError):
        text_ranges(inflated.GZIP_MAGIC + b"\x08\x00not deflate at all", [(0, None)])


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.binary(max_size=300), min_size=1, max_size=5), cut=st.integers(1, 8))
def test_whole_members_inflate_to_their_texts_and_a_member_cut_short_is_refused(
    texts: list[bytes], cut: int
) -> None:
    # GIVEN members, one after another, as a range of a lines object holds them
    body = b"".join(gzip.compress(text, mtime=0) for text in texts)
    # THEN they inflate to their texts, each checked
    assert inflate_members(body) == b"".join(texts)
    # AND without their last bytes (the last member's length and CRC-32 among them) they are refused
    with pytest.raises(InflateError):
        inflate_members(body[:-cut])


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.binary(max_size=200), min_size=1, max_size=5),
    step=st.integers(1, 64),
    feed=st.integers(1, 48),
    padding=st.integers(0, 70),
)
def test_any_members_fed_a_few_bytes_at_a_time_inflate_to_their_text(
    texts: list[bytes], step: int, feed: int, padding: int
) -> None:
    # GIVEN members one after another, perhaps padded with more zeros than one feed holds
    body = b"".join(gzip.compress(text, mtime=0) for text in texts) + b"\x00" * padding
    # WHEN they are inflated, fed and stepped a few bytes at a time
    found = b"".join(inflated.steps(body, step, feed=feed))
    # THEN the text is theirs, whole
    assert found == b"".join(texts)


@pytest.mark.parametrize("feed", [1, 7, 1 << 20])
def test_a_member_cut_short_is_refused_whatever_the_feed(feed: int) -> None:
    body = gzip.compress(b"one", mtime=0) + gzip.compress(b"two" * 100, mtime=0)[:-3]
    with pytest.raises(InflateError, match="ends early"):
        b"".join(inflated.steps(body, feed=feed))
    # Bytes after a member that are neither zeros nor a member are refused too.
    with pytest.raises(InflateError):
        b"".join(inflated.steps(gzip.compress(b"one", mtime=0) + b"\x00\x00junk", feed=feed))
