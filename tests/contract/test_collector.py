"""`ior_contracts.collector.paused`: the collector off inside, and back as it was after."""

from __future__ import annotations

import gc

import pytest
from ior_contracts import collector


def _fail_inside() -> None:
    with collector.paused():
        assert not gc.isenabled()
        raise RuntimeError("the parse failed")


def test_the_collector_is_off_inside_and_on_again_after_even_when_the_block_fails() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _fail_inside()
    assert gc.isenabled()


def test_a_collector_off_before_stays_off_after() -> None:
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
