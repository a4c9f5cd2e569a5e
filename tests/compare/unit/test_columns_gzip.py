"""A compared columns object that is not whole gzip is refused as such, corrupted or cut short."""

from __future__ import annotations

import gzip

import pytest
from ior_compare.adapters.line_columns import read_line_columns
from ior_compare.ports import LinesShapeError

TEXT = b"entry_id,line\n" * 1000


def corrupted() -> bytes:
    body = bytearray(gzip.compress(TEXT, mtime=0))
    body[15] ^= 0xFF
    body[20] ^= 0xFF
    return bytes(body)


@pytest.mark.parametrize("body", [corrupted(), gzip.compress(TEXT, mtime=0)[:-3], b"plain text"])
def test_columns_that_are_not_whole_gzip_are_refused(body: bytes) -> None:
    with pytest.raises(LinesShapeError, match="is not valid gzip"):
        read_line_columns(body, "s3://data/customs/published/line-columns/x.csv.gz")
