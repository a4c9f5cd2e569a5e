"""Every function is sized from measured figures (`bench/sizing.json`): its memory holds the peak
measured at a million lines a day with the stated headroom, its timeout the measured time with its
headroom, its queue's visibility six times the timeout, and none goes beyond Lambda's limits. A
function whose work does not grow with the day says why instead of a figure."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from ior_contracts.topology import DEFAULT_MEMORY_MB, Naming
from ior_tools.paths import REPO_ROOT

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SIZING: dict[str, Any] = json.loads((REPO_ROOT / "bench" / "sizing.json").read_text())
FUNCTION, QUEUE = "aws:lambda/function:Function", "aws:sqs/queue:Queue"


def _functions(stack: Recorder) -> dict[str, Any]:
    prefix = f"{Naming('prod').bus}-"  # ior-prod-
    return {f.inputs["name"].removeprefix(prefix): f.inputs for f in stack.of(FUNCTION)}


def test_every_function_of_the_program_is_sized_and_nothing_else(prod: Recorder) -> None:
    assert set(_functions(prod)) == set(SIZING["functions"])


@pytest.mark.parametrize("name", sorted(n for n, f in SIZING["functions"].items() if "peak_mb" in f))
def test_a_measured_function_holds_its_peak_and_time_with_headroom(prod: Recorder, name: str) -> None:
    measured, headroom, limits = SIZING["functions"][name], SIZING["headroom"], SIZING["limits"]
    function = _functions(prod)[name]
    assert function["memorySize"] >= math.ceil(measured["peak_mb"] * headroom["memory"])
    assert function["timeout"] >= math.ceil(measured["seconds"] * headroom["time"])
    assert function["memorySize"] <= limits["memory_mb"]
    assert function["timeout"] <= limits["timeout_s"]
    queue = prod.named(QUEUE, f"subscriptions-{name}-queue")
    assert queue.inputs["visibilityTimeoutSeconds"] >= 6 * function["timeout"]


@pytest.mark.parametrize("name", sorted(n for n, f in SIZING["functions"].items() if "peak_mb" in f))
def test_a_function_sized_above_the_default_is_not_given_much_more_than_its_headroom(
    prod: Recorder, name: str
) -> None:
    # Memory is paid for by the megabyte-second: a size above the default follows the figure down.
    measured, headroom = SIZING["functions"][name], SIZING["headroom"]
    function = _functions(prod)[name]
    if function["memorySize"] > DEFAULT_MEMORY_MB:
        assert function["memorySize"] <= math.ceil(measured["peak_mb"] * headroom["memory"] * 1.1) or any(
            # Subscriptions of one service share a size: the larger figure sets it.
            other["memorySize"] == function["memorySize"]
            and function["memorySize"]
            <= math.ceil(SIZING["functions"][n]["peak_mb"] * headroom["memory"] * 1.1)
            for n, other in _functions(prod).items()
            if n != name and "peak_mb" in SIZING["functions"].get(n, {})
        )


@pytest.mark.parametrize("name", sorted(n for n, f in SIZING["functions"].items() if "peak_mb" not in f))
def test_an_unmeasured_function_says_why_and_stays_within_the_limits(prod: Recorder, name: str) -> None:
    assert len(SIZING["functions"][name]["unmeasured"]) > 20
    function = _functions(prod)[name]
    assert function["memorySize"] <= SIZING["limits"]["memory_mb"]
    assert function["timeout"] <= SIZING["limits"]["timeout_s"]
